package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poollab.tracking.MlflowHttp;

/**
 * Runs through the CLI with no tracking URI, so they share the local server of their POOLLAB_HOME: three started
 * together from no server end with one server and three FINISHED runs; a server stopped and started again in the
 * middle of a run comes back at the same address and the run ends FINISHED with its metrics.
 */
class LocalServerRunsIT {

    private static final String EXPERIMENT = """
            experiment: it-local-server
            data: {trainSubset: 512, testSubset: 200}
            backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
            pooling: {id: gap}
            trainer: {epochs: %d, batchSize: 64}
            eval: {batchSize: 200, knn: {k: [10]}}
            """;
    private static final Pattern RUN_URL = Pattern.compile("MLflow run: (http://127\\.0\\.0\\.1:\\d+)/#/experiments/"
            + "\\d+/runs/([0-9a-f]+)");

    @TempDir
    Path dir;

    /** A POOLLAB_HOME whose virtualenv is the project's (so the CLI can start its own server). */
    private Path home() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createSymbolicLink(home.resolve("venv"), Project.mlflow().getParent().getParent());
        return home;
    }

    @Test
    void threeRunsStartedTogetherWithNoServerEndWithOneServerAndThreeFinishedRuns() throws Exception {
        Path home = home();
        List<Cli> clis = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Cli cli = Cli.local(Files.createDirectories(dir.resolve("run" + i)), home);
            clis.add(cli);
            processes.add(cli.start("run", cli.experiment(EXPERIMENT.formatted(1)).toString()));
        }
        Set<String> servers = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            assertTrue(processes.get(i).waitFor(5, TimeUnit.MINUTES));
            String out = Files.readString(dir.resolve("run" + i + "/out.txt"));
            assertEquals(0, processes.get(i).exitValue(), clis.get(i).errFile());
            Matcher url = RUN_URL.matcher(out);
            assertTrue(url.find(), out);
            servers.add(url.group(1));
            assertTrue(MlflowHttp.get(url.group(1), "/api/2.0/mlflow/runs/get?run_id=" + url.group(2))
                    .contains("\"FINISHED\""), "run " + i + " FINISHED");
        }
        assertEquals(1, servers.size(), "one server for three runs: " + servers);
        Cli.Result stop = Cli.local(dir, home).run("mlflow", "stop");
        assertTrue(stop.out().startsWith("stopped"), stop.out() + stop.err());
        String uri = servers.iterator().next();
        for (int i = 0; i < 100 && MlflowHttp.healthy(uri); i++) {
            Thread.sleep(100);
        }
        assertFalse(MlflowHttp.healthy(uri), "mlflow stop stopped it");
    }

    @Test
    void aServerRestartedMidRunComesBackAtItsAddressAndTheRunEndsWithItsMetrics() throws Exception {
        Path home = home();
        Cli run = Cli.local(Files.createDirectories(dir.resolve("run")), home);
        Process process = run.start("run", run.experiment(EXPERIMENT.formatted(3)).toString());
        Path checkpoints = home.resolve("checkpoints/it-local-server");
        for (int i = 0; i < 1200 && !hasFirstCheckpoint(checkpoints); i++) {
            assertTrue(process.isAlive(), run.errFile());
            Thread.sleep(100);
        }
        Cli control = Cli.local(Files.createDirectories(dir.resolve("control")), home);
        Cli.Result stopped = control.run("mlflow", "stop");
        assertTrue(stopped.out().startsWith("stopped"), stopped.out() + stopped.err());
        Cli.Result started = control.run("mlflow", "start");
        assertEquals(0, started.code(), started.err());
        assertTrue(process.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), run.errFile());
        Matcher url = RUN_URL.matcher(Files.readString(dir.resolve("run/out.txt")));
        assertTrue(url.find());
        assertTrue(started.out().contains(url.group(1)), "restarted at the run's address " + url.group(1) + ": "
                + started.out());
        String runJson = MlflowHttp.get(url.group(1), "/api/2.0/mlflow/runs/get?run_id=" + url.group(2));
        assertTrue(runJson.contains("\"FINISHED\"") && runJson.contains("knn_top1_k10"), runJson);
        String epochs = MlflowHttp.get(url.group(1), "/api/2.0/mlflow/metrics/get-history?run_id=" + url.group(2)
                + "&metric_key=epoch_minutes");
        assertEquals(3, Pattern.compile("\"step\"").matcher(epochs).results().count(), "every epoch's time: "
                + epochs);
        control.run("mlflow", "stop");
    }

    private static boolean hasFirstCheckpoint(Path experiment) throws Exception {
        if (!Files.isDirectory(experiment)) {
            return false;
        }
        try (var runs = Files.list(experiment)) {
            return runs.anyMatch(run -> Files.exists(run.resolve("epoch-001.zip")));
        }
    }
}

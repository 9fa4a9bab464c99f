package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poollab.tracking.LocalMlflowServer;
import org.poollab.tracking.MlflowHttp;

/** The real MLflow server is stopped in the middle of a run and started again: every metric step arrives. */
class MlflowOutageIT {

    private static final int STEPS = 100;

    @TempDir
    Path dir;

    @Test
    void aServerThatGoesAwayMidRunLosesNoMetric() throws Exception {
        LocalMlflowServer server = new LocalMlflowServer(dir.resolve("mlflow"), Project.mlflow());
        String uri = server.start();
        try {
            Cli cli = new Cli(Files.createDirectory(dir.resolve("cli")), uri);
            Path file = cli.experiment("""
                    experiment: it-outage
                    data: {trainSubset: %d, testSubset: 100}
                    backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
                    trainer: {epochs: 1, batchSize: 64, logEvery: 1}
                    """.formatted(STEPS * 64));
            Process process = cli.start("run", file.toString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!cli.errFile().contains("epoch 1/1") && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            server.stop();
            Thread.sleep(8_000); // training goes on; its tracking calls wait in the journal
            assertTrue(process.isAlive(), "the run should outlast the outage: " + cli.errFile());
            server.start(URI.create(uri).getPort());
            assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the run did not end");
            String out = Files.readString(dir.resolve("cli/out.txt"));
            String err = cli.errFile();
            assertEquals(0, process.exitValue(), err);
            assertTrue(err.contains("does not answer") && err.contains("is back"), "the outage is reported: " + err);

            Matcher id = Pattern.compile("/runs/([0-9a-f]+)").matcher(out);
            assertTrue(id.find(), out);
            String run = MlflowHttp.get(uri, "/api/2.0/mlflow/runs/get?run_id=" + id.group(1));
            assertTrue(run.contains("\"FINISHED\""), run);
            assertEquals(IntStream.rangeClosed(1, STEPS).boxed().toList(), steps(uri, id.group(1), "loss"),
                    "every step's loss reaches MLflow (steps count from 1)");
            assertEquals(List.of(1), steps(uri, id.group(1), "knn_top1_k20"));
        } finally {
            server.stop();
        }
    }

    private static List<Integer> steps(String uri, String runId, String metric) {
        String json = MlflowHttp.get(uri, "/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key="
                + metric + "&max_results=10000");
        List<Integer> steps = new ArrayList<>();
        Matcher m = Pattern.compile("\"step\":\\s*\"?([0-9]+)").matcher(json);
        while (m.find()) {
            steps.add(Integer.parseInt(m.group(1)));
        }
        steps.sort(Integer::compare);
        return steps;
    }
}

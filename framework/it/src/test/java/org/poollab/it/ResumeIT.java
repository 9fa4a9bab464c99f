package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.poollab.tracking.MlflowHttp;

/**
 * Exact resume: a DINO run killed with SIGKILL somewhere after its first checkpoint and resumed with
 * {@code poollab resume} ends with the same k-NN numbers, under the same MLflow run id, as the same run left alone.
 */
class ResumeIT {

    @RegisterExtension
    static final MlflowServerExtension SERVER = new MlflowServerExtension();

    private static final String EXPERIMENT = """
            experiment: it-resume
            seed: 3
            data: {trainSubset: 256, testSubset: 200}
            backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
            pooling: {id: simpool}
            trainer:
              id: dino
              epochs: 3
              batchSize: 32
              optimizer: {lr: 1.0e-2}
              dino: {localCrops: 2, outDim: 64, hiddenDim: 64, bottleneckDim: 32, freezeLastLayerEpochs: 1}
            eval: {batchSize: 200}
            """;

    @TempDir
    Path dir;

    @Test
    void aRunKilledMidwayAndResumedEndsLikeAnUninterruptedOne() throws Exception {
        Cli uninterrupted = new Cli(Files.createDirectory(dir.resolve("a")), SERVER.uri());
        Cli.Result reference = uninterrupted.run("run", uninterrupted.experiment(EXPERIMENT).toString());
        assertEquals(0, reference.code(), reference.err());

        Cli killed = new Cli(Files.createDirectory(dir.resolve("b")), SERVER.uri());
        Process process = killed.start("run", killed.experiment(EXPERIMENT).toString());
        Path runFolder = awaitFirstCheckpoint(killed.home().resolve("checkpoints/it-resume"), process);
        long delay = new Random().nextInt(4000);
        Thread.sleep(delay); // somewhere in epoch 2 or 3 (an epoch takes a few seconds)
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        String runId = runFolder.getFileName().toString();
        assertTrue(status(runId).equals("RUNNING"), "SIGKILL leaves the run RUNNING, got " + status(runId));

        Cli.Result resumed = killed.run("run", "--resume", runId);
        assertEquals(0, resumed.code(), "killed after " + delay + " ms\n" + resumed.err());
        assertTrue(resumed.out().contains("resuming from " + runFolder.resolve("epoch-00")), resumed.out());
        assertTrue(resumed.out().contains("/runs/" + runId), "same MLflow run: " + resumed.out());
        assertEquals("FINISHED", status(runId));
        Map<String, Double> expected = finalMetrics(runIdIn(reference.out()));
        assertEquals(9, expected.size(), "8 k-NN metrics and attention_jaccard: " + expected);
        assertEquals(expected, finalMetrics(runId), "killed after " + delay + " ms: the resumed run's "
                + "k-NN must equal the uninterrupted run's (same seed, same thread count)");
        String referenceId = runIdIn(reference.out());
        assertNotEquals(runId, referenceId);
        assertEquals(arrays(uninterrupted.home().resolve("checkpoints/it-resume/" + referenceId + "/epoch-003.zip")),
                arrays(runFolder.resolve("epoch-003.zip")), "killed after " + delay + " ms: the final student, "
                + "teacher, AdamW state and centre must be bit-identical");
    }

    /** Every array entry of a checkpoint, as its bytes in hex, by entry name. */
    private static Map<String, String> arrays(Path checkpoint) throws Exception {
        Map<String, String> entries = new TreeMap<>();
        try (ZipFile zip = new ZipFile(checkpoint.toFile())) {
            for (ZipEntry entry : zip.stream().filter(e -> e.getName().endsWith(".bin")).toList()) {
                entries.put(entry.getName(), HexFormat.of().formatHex(zip.getInputStream(entry).readAllBytes()));
            }
        }
        assertTrue(entries.keySet().stream().anyMatch(name -> name.startsWith("optimizer/")), entries.keySet()
                .toString());
        return entries;
    }

    @Test
    void resumingARunThatHasNoCheckpointSaysWhy() throws Exception {
        Cli cli = new Cli(dir, SERVER.uri());
        Files.createDirectories(cli.home().resolve("checkpoints/it-resume/0123abcd"));
        Cli.Result result = cli.run("resume", "0123abcd");
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains("no checkpoint in") && result.err().contains("poollab run"), result.err());
        assertTrue(!result.err().contains("\tat "), "no stack trace: " + result.err());
    }

    private static Path awaitFirstCheckpoint(Path experimentFolder, Process process) throws Exception {
        for (int i = 0; i < 1200; i++) {
            if (Files.isDirectory(experimentFolder)) {
                try (Stream<Path> runs = Files.list(experimentFolder)) {
                    Path run = runs.filter(r -> Files.exists(r.resolve("epoch-001.zip"))).findFirst().orElse(null);
                    if (run != null) {
                        return run;
                    }
                }
            }
            assertTrue(process.isAlive(), "the run ended before its first checkpoint");
            Thread.sleep(100);
        }
        throw new AssertionError("no first checkpoint after 120 s");
    }

    private static String status(String runId) {
        Matcher m = Pattern.compile("\"status\":\\s*\"([A-Z]+)\"")
                .matcher(MlflowHttp.get(SERVER.uri(), "/api/2.0/mlflow/runs/get?run_id=" + runId));
        return m.find() ? m.group(1) : "?";
    }

    /** The run's latest k-NN and attention metrics as MLflow holds them (full precision). */
    private static Map<String, Double> finalMetrics(String runId) {
        String run = MlflowHttp.get(SERVER.uri(), "/api/2.0/mlflow/runs/get?run_id=" + runId);
        Map<String, Double> metrics = new TreeMap<>();
        Matcher entry = Pattern.compile("\\{[^{}]*\"key\":\\s*\"((?:knn_|attention_)\\w+)\"[^{}]*}").matcher(run);
        while (entry.find()) {
            Matcher value = Pattern.compile("\"value\":\\s*([-0-9.eE+]+)").matcher(entry.group());
            assertTrue(value.find(), entry.group());
            metrics.put(entry.group(1), Double.parseDouble(value.group(1)));
        }
        return metrics;
    }

    private static String runIdIn(String out) {
        Matcher m = Pattern.compile("/runs/([0-9a-f]+)").matcher(out);
        return m.find() ? m.group(1) : "";
    }
}

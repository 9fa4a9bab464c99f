package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * MoCo v3 through the CLI: a short run learns (the two views of an image find each other among the batch), does
 * not collapse, logs its health, keeps the frozen patch projection frozen, and a run killed after its first
 * checkpoint and resumed ends bit-identical to one left alone.
 */
class MocoIT {

    @RegisterExtension
    static final MlflowServerExtension SERVER = new MlflowServerExtension();

    /** Mild views (large crops, no photometric change): instance discrimination is learnable in a few steps. */
    private static final String EXPERIMENT = """
            experiment: it-moco
            seed: 1
            data: {trainSubset: 256, testSubset: 200}
            backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1, positionalEmbedding: sincos}}
            pooling: {id: simpool}
            trainer:
              id: mocov3
              epochs: 3
              batchSize: 32
              logEvery: 1
              optimizer: {lr: 2.0e-2, warmupFraction: 0.1}
              mocov3:
                hiddenDim: 64
                outDim: 32
                freezePatchEmbedding: true
                cropScale: [0.7, 1.0]
                augmentation: {jitterProbability: 0, grayscaleProbability: 0, blurProbability: [0, 0, 0],
                               solarizeProbability: 0}
            eval: {batchSize: 200}
            """;
    private static final int STEPS = 24; // 3 epochs x 256 / 32

    @TempDir
    Path dir;

    @Test
    void aShortRunLearnsWithoutCollapseLogsItsHealthAndKeepsThePatchProjectionFrozen() throws Exception {
        Cli cli = new Cli(dir, SERVER.uri());
        Cli.Result result = cli.run("run", cli.experiment(EXPERIMENT).toString());
        assertEquals(0, result.code(), result.err());
        String runId = runIdIn(result.out());
        List<Double> loss = MetricHistory.of(SERVER.uri(), runId, "loss");
        assertEquals(STEPS, loss.size(), "one loss per step");
        double first = mean(loss.subList(0, 4));
        double last = mean(loss.subList(STEPS - 4, STEPS));
        assertTrue(last < 0.8 * first, "the contrastive loss did not drop: first steps " + first + ", last " + last);
        List<Double> accuracy = MetricHistory.of(SERVER.uri(), runId, "contrastive_accuracy");
        assertTrue(mean(accuracy.subList(STEPS - 4, STEPS)) > 3 * 100.0 / 32, "the positive is found far above "
                + "chance (1 in 32) by the end: " + accuracy);
        for (double std : MetricHistory.of(SERVER.uri(), runId, "output_std")) {
            assertTrue(std > 0.3 / Math.sqrt(32), "the normalised outputs keep their spread (no collapse): " + std);
        }
        List<Double> momentum = MetricHistory.of(SERVER.uri(), runId, "momentum");
        assertEquals(0.99, momentum.get(0), 1e-9, "the momentum starts at trainer.mocov3.momentum");
        assertTrue(momentum.get(STEPS - 1) > 0.9999 && momentum.get(STEPS - 1) <= 1, "and rises to 1: " + momentum);
        for (String metric : List.of("lr", "wd", "img_per_s")) {
            assertEquals(STEPS, MetricHistory.of(SERVER.uri(), runId, metric).size(), metric);
        }
        assertEquals(3, MetricHistory.of(SERVER.uri(), runId, "knn_top1_k20").size(), "k-NN after each epoch");

        Path runFolder = cli.home().resolve("checkpoints/it-moco/" + runId);
        Map<String, String> epoch1 = ResumeIT.arrays(runFolder.resolve("epoch-001.zip"));
        Map<String, String> epoch3 = ResumeIT.arrays(runFolder.resolve("epoch-003.zip"));
        // (the momentum encoder's copy follows it by EMA, equal up to float rounding, as in the reference)
        for (String patch : List.of("base/backbone/patch_embed/W.bin", "base/backbone/patch_embed/b.bin")) {
            assertTrue(epoch1.get(patch).equals(epoch3.get(patch)), patch + " is frozen: bit-identical");
        }
        assertTrue(!epoch1.get("base/backbone/blocks.0/attn/qkv/W.bin").equals(
                epoch3.get("base/backbone/blocks.0/attn/qkv/W.bin")), "the rest learns");
        assertTrue(epoch3.keySet().stream().anyMatch(n -> n.startsWith("base/predictor/")), epoch3.keySet().toString());
        assertTrue(epoch3.keySet().stream().noneMatch(n -> n.startsWith("momentum/predictor/")),
                "the predictor is on the query branch only: " + epoch3.keySet());
        assertTrue(epoch3.keySet().containsAll(List.of("momentum/projector/fc0/W.bin",
                "momentum/pooling/Wq/W.bin")), "the momentum encoder has the projector and the pooling");

        // the checkpoint alone rebuilds the momentum encoder for the other commands
        Cli.Result eval = cli.run("eval", "--checkpoint", runFolder.resolve("epoch-003.zip").toString(), "--set",
                "eval.knn.k=[20]");
        assertEquals(0, eval.code(), eval.err());
        assertEquals(MetricHistory.of(SERVER.uri(), runId, "knn_top1_k20").get(2), metric(eval.out(),
                "knn_top1_k20"), 0.005, "eval of the final checkpoint repeats the run's last k-NN");
    }

    @Test
    void aRunKilledAfterItsFirstCheckpointAndResumedEndsBitIdentical() throws Exception {
        Cli uninterrupted = new Cli(Files.createDirectory(dir.resolve("a")), SERVER.uri());
        Cli.Result reference = uninterrupted.run("run", uninterrupted.experiment(EXPERIMENT).toString());
        assertEquals(0, reference.code(), reference.err());

        Cli killed = new Cli(Files.createDirectory(dir.resolve("b")), SERVER.uri());
        Process process = killed.start("run", killed.experiment(EXPERIMENT).toString());
        Path runFolder = ResumeIT.await(killed.home().resolve("checkpoints/it-moco"), "epoch-001.zip", process);
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        String runId = runFolder.getFileName().toString();
        Cli.Result resumed = killed.run("resume", runId);
        assertEquals(0, resumed.code(), resumed.err());
        String referenceId = runIdIn(reference.out());
        Map<String, String> expected = ResumeIT.arrays(uninterrupted.home().resolve("checkpoints/it-moco/"
                + referenceId + "/epoch-003.zip"));
        Map<String, String> actual = ResumeIT.arrays(runFolder.resolve("epoch-003.zip"));
        assertEquals(expected.keySet(), actual.keySet());
        List<String> differing = expected.keySet().stream().filter(k -> !expected.get(k).equals(actual.get(k)))
                .toList();
        assertTrue(differing.isEmpty(), "base encoder, momentum encoder and AdamW state must be bit-identical; "
                + "these differ: " + differing);
    }

    private static double metric(String out, String name) {
        Matcher value = Pattern.compile(name + " = ([0-9.]+)").matcher(out);
        assertTrue(value.find(), name + " in " + out);
        return Double.parseDouble(value.group(1));
    }

    private static String runIdIn(String out) {
        Matcher m = Pattern.compile("/runs/([0-9a-f]+)").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}

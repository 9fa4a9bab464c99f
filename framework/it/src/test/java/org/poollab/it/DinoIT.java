package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A short DINO run through the CLI: it learns, does not collapse, checkpoints each epoch and logs its health. */
class DinoIT {

    @RegisterExtension
    static final MlflowServerExtension SERVER = new MlflowServerExtension();

    private static final int K = 64;

    @TempDir
    Path dir;

    @Test
    void aShortRunLowersItsLossWithoutCollapseAndCheckpointsEveryEpoch() throws Exception {
        Cli cli = new Cli(dir, SERVER.uri());
        Path file = cli.experiment("""
                experiment: it-dino
                data: {trainSubset: 384, testSubset: 200}
                backbone: {id: vit, preset: fmnist-tiny, params: {depth: 2}}
                pooling: {id: simpool}
                trainer:
                  id: dino
                  epochs: 2
                  batchSize: 32
                  logEvery: 1
                  optimizer: {lr: 1.0e-2}
                  dino: {localCrops: 2, outDim: %d, hiddenDim: 64, bottleneckDim: 32,
                         teacherTempWarmupFraction: 0, freezeLastLayerEpochs: 0}
                eval: {batchSize: 200}
                """.formatted(K));
        Cli.Result result = cli.run("run", file.toString());
        assertEquals(0, result.code(), result.err());
        Matcher url = Pattern.compile("runs/([0-9a-f]+)").matcher(result.out());
        assertTrue(url.find(), result.out());
        String runId = url.group(1);

        List<Double> loss = history(runId, "loss");
        assertEquals(24, loss.size(), "one loss per step (2 epochs x 12 steps)");
        double first = mean(loss.subList(0, 4));
        double last = mean(loss.subList(loss.size() - 4, loss.size()));
        assertTrue(last < first, "DINO loss did not drop: first steps " + first + ", last steps " + last);
        List<Double> kl = history(runId, "kl_teacher_student");
        assertTrue(mean(kl.subList(kl.size() - 4, kl.size())) < mean(kl.subList(0, 4)),
                "the student did not move towards the teacher: KL " + kl);
        for (double entropy : history(runId, "teacher_entropy")) {
            assertTrue(entropy > 0.05 * Math.log(K) && entropy < 0.995 * Math.log(K),
                    "teacher entropy " + entropy + " is at a collapse bound (0 or log K = " + Math.log(K) + ")");
        }
        for (String health : List.of("center_norm", "momentum", "wd", "teacher_temp", "lr", "img_per_s")) {
            assertEquals(24, history(runId, health).size(), health);
        }
        assertEquals(2, history(runId, "knn_top1_k20").size(), "k-NN after each epoch");

        Path checkpoints = cli.home().resolve("checkpoints/it-dino/" + runId);
        try (Stream<Path> files = Files.list(checkpoints)) {
            // a checkpoint and an evaluation marker per epoch, the process record and its end, the attention grid
            assertEquals(List.of("attention-grid.png", "epoch-001.evaluated", "epoch-001.zip", "epoch-002.evaluated",
                    "epoch-002.zip", "run.properties", "run.settled"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (ZipFile zip = new ZipFile(checkpoints.resolve("epoch-002.zip").toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            long student = names.stream().filter(n -> n.startsWith("student/")).count();
            assertTrue(student > 10, names.toString());
            assertEquals(student, names.stream().filter(n -> n.startsWith("teacher/")).count(), names.toString());
            assertTrue(names.containsAll(List.of("config.yaml", "run-config.properties", "plugin-params.properties",
                    "state.properties",
                    "centre/center.bin")), names.toString());
            assertTrue(names.contains("optimizer/head/last_layer/v/M.bin"), names.toString());
            String state = new String(zip.getInputStream(zip.getEntry("state.properties")).readAllBytes());
            assertTrue(state.contains("epochsDone=2") && state.contains("nextStep=24"), state);
        }

        // The checkpoint alone rebuilds the teacher: its attention grid renders from the saved config and weights.
        Path png = dir.resolve("grid.png");
        Cli.Result attention = cli.run("attention", "--checkpoint", checkpoints.resolve("epoch-002.zip").toString(),
                "--images", "8", "--out", png.toString());
        assertEquals(0, attention.code(), attention.err());
        BufferedImage grid = ImageIO.read(png.toFile());
        assertEquals(8 * 28 * 4, grid.getWidth());
        assertEquals(28 * 4, grid.getHeight());
        // ... and the run id alone finds the run's newest checkpoint.
        Path byRun = dir.resolve("by-run.png");
        Cli.Result fromRun = cli.run("attention", "--run", runId, "--images", "4", "--out", byRun.toString());
        assertEquals(0, fromRun.code(), fromRun.err());
        assertEquals(4 * 28 * 4, ImageIO.read(byRun.toFile()).getWidth());
    }

    private static List<Double> history(String runId, String metric) {
        return MetricHistory.of(SERVER.uri(), runId, metric);
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}

package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.poollab.hash.Sha256;
import org.poollab.interop.ExternalTensor;
import org.poollab.interop.TorchCheckpoint;
import org.poollab.tracking.MlflowHttp;

/**
 * {@code import}, {@code embed} and {@code eval} as a user runs them: separate JVMs, the shipped plugins, a real
 * MLflow server.
 */
class InteropCliIT {

    @RegisterExtension
    static final MlflowServerExtension SERVER = new MlflowServerExtension();

    private static final Path SOURCE = ParityIT.FIXTURES.resolve("vit-simpool.pth");

    @TempDir
    Path dir;

    @Test
    void importThenEmbedWritesTheReferenceFeaturesAndMapsAsNpyInSortedFileOrder() throws Exception {
        Cli cli = new Cli(dir, SERVER.uri());
        Path checkpoint = importFixture(cli);
        Path features = dir.resolve("out/features.npy");
        Path maps = dir.resolve("out/maps.npy");
        Cli.Result embed = cli.run("embed", "--checkpoint", checkpoint.toString(), "--images",
                ParityIT.FIXTURES.resolve("images").toString(), "--out", features.toString(), "--maps",
                maps.toString());
        assertEquals(0, embed.code(), embed.err());
        assertTrue(embed.out().contains("[4, 64]") && embed.out().contains("[4, 16]"), embed.out());
        try (TorchCheckpoint reference = TorchCheckpoint.open(ParityIT.FIXTURES.resolve(
                "vit-simpool.expected.pth"))) {
            Map<?, ?> root = (Map<?, ?>) reference.root();
            assertNpyClose(features, (ExternalTensor) root.get("features"));
            assertNpyClose(maps, (ExternalTensor) root.get("attention"));
        }
    }

    @Test
    void evalIsItsOwnMlflowRunWithKnnTheLinearProbeAndTheSourceFile() throws Exception {
        Cli cli = new Cli(dir, SERVER.uri());
        Path checkpoint = importFixture(cli);
        Path images = colourSquares(dir.resolve("squares"));
        Cli.Result eval = cli.run("eval", "--checkpoint", checkpoint.toString(), "--knn", "--linear", "--set",
                "data.path=" + images, "--set", "eval.knn.k=[5]", "--set", "experiment=it-eval");
        assertEquals(0, eval.code(), eval.err());
        double knn = metric(eval.out(), "knn_top1_k5");
        double linear = metric(eval.out(), "linear_top1");
        assertTrue(knn >= 0 && knn <= 100 && linear >= 0 && linear <= 100, eval.out());
        assertTrue(linear > 70, "red and blue squares are told apart by a probe even on random features: " + linear);
        Matcher url = Pattern.compile("runs/([0-9a-f]+)").matcher(eval.out());
        assertTrue(url.find(), eval.out());
        String run = MlflowHttp.get(SERVER.uri(), "/api/2.0/mlflow/runs/get?run_id=" + url.group(1));
        assertTrue(run.contains("\"FINISHED\"") && run.contains("linear_top5") && run.contains("knn_top5_k5"), run);
        assertTrue(run.contains(Sha256.of(SOURCE)) && run.contains(Sha256.of(checkpoint))
                && run.contains("eval.source"), "the run names the checkpoint and the file it came from: " + run);
        assertTrue(run.contains("\"poollab.kind\"") && run.contains("\"eval\""), run);

        Cli.Result linearOnly = cli.run("eval", "--checkpoint", checkpoint.toString(), "--linear", "--set",
                "data.path=" + images, "--set", "experiment=it-eval");
        assertEquals(0, linearOnly.code(), linearOnly.err());
        assertEquals(linear, metric(linearOnly.out(), "linear_top1"), 1e-9, "the probe is seeded");
        assertTrue(!linearOnly.out().contains("knn_top1"), "--linear alone runs no k-NN: " + linearOnly.out());
    }

    @Test
    void aCheckpointThatIsNotOneGetsOneParagraphAndExitCode1() throws Exception {
        Path broken = dir.resolve("broken.zip");
        Files.writeString(broken, "not a zip");
        Cli.Result eval = new Cli(dir, SERVER.uri()).run("eval", "--checkpoint", broken.toString());
        assertNotEquals(0, eval.code());
        assertTrue(eval.err().contains(broken.toString()) && !eval.err().contains("\tat "), eval.err());
    }

    private Path importFixture(Cli cli) throws IOException, InterruptedException {
        Path checkpoint = dir.resolve("vit-simpool.zip");
        List<String> arguments = new ArrayList<>(List.of("import", SOURCE.toString(), "--pooling", "simpool",
                "--out", checkpoint.toString(), "--set", "pooling.params.gamma=none"));
        ParityIT.SMALL_VIT.forEach(setting -> arguments.addAll(List.of("--set", setting)));
        Cli.Result result = cli.run(arguments.toArray(String[]::new));
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("imported 33 weights"), result.out());
        return checkpoint;
    }

    private static double metric(String out, String name) {
        Matcher value = Pattern.compile(name + " = ([0-9.]+)").matcher(out);
        assertTrue(value.find(), name + " in " + out);
        return Double.parseDouble(value.group(1));
    }

    /** {@code .npy} float32 C-order: magic, version 1.0, header length, header, little-endian values. */
    private static void assertNpyClose(Path npy, ExternalTensor expected) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(npy)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = bytes.getShort(8);
        String header = new String(bytes.array(), 10, headerLength, StandardCharsets.US_ASCII);
        long[] shape = expected.shape();
        assertTrue(header.contains("'descr': '<f4'") && header.contains("(" + shape[0] + ", " + shape[1] + ")"),
                header);
        assertEquals(0, (10 + headerLength) % 64, "the data starts 64-byte aligned");
        double[] values = expected.load().dup('c').data().asDouble();
        assertEquals(values.length * 4L, bytes.capacity() - 10 - headerLength);
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], bytes.getFloat(10 + headerLength + 4 * i), 1e-5, npy + " value " + i);
        }
    }

    /** 64-px images of a red or a blue square at a random place on grey: 20 train and 10 test per class. */
    private static Path colourSquares(Path root) throws IOException {
        Random random = new Random(3);
        int[] colours = {0xd03020, 0x2040d0};
        for (String split : List.of("train", "test")) {
            for (int label = 0; label < colours.length; label++) {
                Path folder = Files.createDirectories(root.resolve(split).resolve("class" + label));
                for (int i = 0; i < (split.equals("train") ? 20 : 10); i++) {
                    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
                    int side = 20 + random.nextInt(20);
                    int top = random.nextInt(64 - side);
                    int left = random.nextInt(64 - side);
                    for (int y = 0; y < 64; y++) {
                        for (int x = 0; x < 64; x++) {
                            boolean inside = y >= top && y < top + side && x >= left && x < left + side;
                            image.setRGB(x, y, inside ? colours[label] : 0x808080);
                        }
                    }
                    ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
                }
            }
        }
        return root;
    }
}

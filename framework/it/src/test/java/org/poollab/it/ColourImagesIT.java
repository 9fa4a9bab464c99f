package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Colour reaches the model: an image folder whose classes differ only in hue, at exactly equal luma, is learned
 * far above chance in colour (the default for colour PNGs) and stays at chance when read in grey.
 */
class ColourImagesIT {

    @RegisterExtension
    static final MlflowServerExtension SERVER = new MlflowServerExtension();

    private static final int SIZE = 16;
    private static final int CLASSES = 3;
    /** 1000 x the luma of every pixel of every image: 299 r + 587 g + 114 b. */
    private static final int LUMA = 128_000;

    @TempDir
    Path dir;

    @Test
    void classesThatDifferOnlyInHueAreLearnedInColourAndNotInGrey() throws Exception {
        Path images = huesFolder(60, 30, 1);
        Cli cli = new Cli(dir, SERVER.uri());
        Path file = cli.experiment("""
                experiment: it-colour
                data: {dataset: imagefolder, path: %s, imageSize: %d}
                backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
                pooling: {id: gap}
                trainer: {epochs: 2, batchSize: 30}
                eval: {batchSize: 100, knn: {k: [10]}}
                """.formatted(images, SIZE));
        Cli.Result colour = cli.run("run", file.toString());
        assertEquals(0, colour.code(), colour.err());
        assertTrue(colour.err().contains("colour") && colour.err().contains("ImageNet"),
                "the console says the images are read in colour with ImageNet's normalisation: " + colour.err());
        double inColour = top1(colour);
        Cli.Result grey = cli.run("run", file.toString(), "--set", "data.channels=1");
        assertEquals(0, grey.code(), grey.err());
        double inGrey = top1(grey);
        assertTrue(inColour > 90, "in colour the hues are told apart: k-NN top-1 " + inColour);
        assertTrue(inGrey < 50, "in grey every image has the same levels, so only chance (33.3) is left: " + inGrey);
    }

    @Test
    void dinoTrainsOnColourImagesWithItsColourAugmentations() throws Exception {
        Path images = huesFolder(40, 20, 3);
        Cli cli = new Cli(dir, SERVER.uri());
        Path file = cli.experiment("""
                experiment: it-colour-dino
                data: {dataset: imagefolder, path: %s, imageSize: %d, cacheMb: 0}
                backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
                pooling: {id: simpool}
                trainer:
                  id: dino
                  epochs: 1
                  batchSize: 20
                  dino: {localCrops: 2, localSize: 8, hiddenDim: 32, bottleneckDim: 16, outDim: 64}
                eval: {batchSize: 100, knn: {k: [10]}}
                """.formatted(images, SIZE));
        Cli.Result result = cli.run("run", file.toString());
        assertEquals(0, result.code(), result.err());
        // Colour jitter and grayscale act on the views; the hue still separates the classes in the features.
        assertTrue(top1(result) > 60, "k-NN top-1 after DINO in colour " + top1(result));
    }

    /** An image folder of the three equal-luma hue classes: {@code train} and {@code test} images per class. */
    private Path huesFolder(int train, int test, long seed) throws IOException {
        Path images = dir.resolve("hues");
        List<int[]> colours = equalLumaColours();
        writeSplit(images.resolve("train"), colours, train, new Random(seed));
        writeSplit(images.resolve("test"), colours, test, new Random(seed + 1));
        return images;
    }

    private static double top1(Cli.Result result) {
        Matcher top1 = Pattern.compile("knn_top1_k10 = ([0-9.]+)").matcher(result.out());
        assertTrue(top1.find(), result.out());
        return Double.parseDouble(top1.group(1));
    }

    /**
     * Three colours of hue about 0, 120 and 240 degrees whose luma is exactly {@link #LUMA} / 1000, and the grey
     * of that luma as the background: in grey, every pixel of every image has the same level.
     */
    private static List<int[]> equalLumaColours() {
        List<int[]> colours = new ArrayList<>();
        int[][] targets = {{220, 90, 100}, {60, 170, 60}, {90, 110, 240}};
        for (int[] target : targets) {
            int[] best = null;
            double bestDistance = Double.MAX_VALUE;
            for (int r = 0; r < 256; r++) {
                for (int g = 0; g < 256; g++) {
                    int rest = LUMA - 299 * r - 587 * g;
                    if (rest < 0 || rest % 114 != 0 || rest / 114 > 255) {
                        continue;
                    }
                    int b = rest / 114;
                    double distance = Math.pow(r - target[0], 2) + Math.pow(g - target[1], 2)
                            + Math.pow(b - target[2], 2);
                    if (distance < bestDistance) {
                        bestDistance = distance;
                        best = new int[] {r, g, b};
                    }
                }
            }
            colours.add(best);
        }
        return colours;
    }

    /** {@code perClass} images per class: a square of the class's colour at a random place on grey. */
    private static void writeSplit(Path split, List<int[]> colours, int perClass, Random random) throws IOException {
        int grey = LUMA / 1000;
        for (int label = 0; label < CLASSES; label++) {
            int[] colour = colours.get(label);
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
                int side = 5 + random.nextInt(6);
                int top = random.nextInt(SIZE - side + 1);
                int left = random.nextInt(SIZE - side + 1);
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        boolean inside = y >= top && y < top + side && x >= left && x < left + side;
                        int[] rgb = inside ? colour : new int[] {grey, grey, grey};
                        image.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
                    }
                }
                Path png = split.resolve("class" + label).resolve(i + ".png");
                Files.createDirectories(png.getParent());
                ImageIO.write(image, "png", png.toFile());
            }
        }
    }
}

package org.poollab.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.poollab.data.augment.Resampler;

/**
 * An image-folder data set as torchvision's {@code ImageFolder} lays it out: {@code <root>/train/<class>/<image>}
 * and {@code <root>/test/<class>/<image>} (or {@code val/}). The classes are the sorted folder names under
 * {@code train/}. Every image (PNG, JPEG, BMP or GIF) becomes grey levels (ITU-R 601 luma of its red, green and
 * blue), its centred square is resized to {@code size x size} (antialiased bicubic) and it is held in memory as
 * bytes, so a set is limited to about 2^31 / size^2 images.
 */
public final class ImageFolder {

    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private ImageFolder() {
    }

    /**
     * The classes of a data set: the sorted sub-folder names of {@code <root>/train}.
     *
     * @throws DataException if the folder is missing or has no class folders
     */
    public static List<String> classes(Path root) {
        Path train = split(root, "train");
        List<String> classes = subfolders(train).stream().map(folder -> folder.getFileName().toString()).sorted()
                .toList();
        if (classes.isEmpty()) {
            throw new DataException(train + " has no class folders (data.path); put each class's images in "
                    + train + "/<class name>/");
        }
        return classes;
    }

    /**
     * Reads the training split, or a seeded random subset of it (the subset {@link ImageDataset#subset} would
     * take from the whole split, without decoding the images left out).
     *
     * @param subset how many images, or {@code null} for all
     * @param progress where the reading is announced (decoding many images takes a while)
     */
    public static ImageDataset train(Path root, List<String> classes, int size, Integer subset, long seed,
                                     PrintStream progress) {
        return read(split(root, "train"), classes, size, subset, seed, progress);
    }

    /** Reads {@code <root>/test}, or {@code <root>/val} if there is no test folder; as {@link #train}. */
    public static ImageDataset test(Path root, List<String> classes, int size, Integer subset, long seed,
                                    PrintStream progress) {
        String name = Files.isDirectory(root.resolve("test")) || !Files.isDirectory(root.resolve("val")) ? "test"
                : "val";
        return read(split(root, name), classes, size, subset, seed, progress);
    }

    private static ImageDataset read(Path split, List<String> classes, int size, Integer subset, long seed,
                                     PrintStream progress) {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path folder : subfolders(split)) {
            int label = classes.indexOf(folder.getFileName().toString());
            if (label < 0) {
                throw new DataException("class folder " + folder + " is not among the training classes " + classes
                        + " (data.path); the test split may only hold classes the train split has");
            }
            for (Path file : images(folder)) {
                files.add(file);
                labels.add(label);
            }
        }
        if (files.isEmpty()) {
            throw new DataException(split + " holds no images (data.path); expected " + split
                    + "/<class>/<image>.png or .jpg");
        }
        int n = subset == null ? files.size() : Math.min(subset, files.size());
        int[] order = subset == null ? IntStream.range(0, n).toArray()
                : ImageDataset.permutation(files.size(), new SplittableRandom(seed));
        int area = size * size;
        if ((long) n * area > Integer.MAX_VALUE - 8) {
            throw new DataException(split + ": " + n + " images of " + size + " x " + size + " do not fit in memory "
                    + "as one array; lower data.imageSize or set data.trainSubset / data.testSubset");
        }
        progress.printf(Locale.ROOT, "reading %d of the %d images in %s (%d x %d, grey)%n", n, files.size(), split,
                size, size);
        long start = System.nanoTime();
        byte[] pixels = new byte[n * area];
        int[] chosenLabels = new int[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            Grey image = Grey.read(files.get(order[i]));
            float[] resized = Resampler.centreSquare(image.levels(), image.height(), image.width(), size);
            for (int p = 0; p < area; p++) {
                pixels[i * area + p] = (byte) Math.round(resized[p] * 255);
            }
            chosenLabels[i] = labels.get(order[i]);
        });
        progress.printf(Locale.ROOT, "read %d images in %.1f s%n", n, (System.nanoTime() - start) / 1e9);
        return new ImageDataset(pixels, chosenLabels, size, size, classes.size());
    }

    /** An image's grey levels in [0, 1], row-major {@code [height, width]}. */
    private record Grey(float[] levels, int height, int width) {

        static Grey read(Path file) {
            BufferedImage image;
            try {
                image = ImageIO.read(file.toFile());
            } catch (IOException | RuntimeException e) {
                throw new DataException("cannot read the image " + file + " (" + e.getMessage() + "); replace or "
                        + "remove it");
            }
            if (image == null) {
                throw new DataException("cannot read the image " + file + ": not a PNG, JPEG, BMP or GIF file; "
                        + "convert or remove it");
            }
            int height = image.getHeight();
            int width = image.getWidth();
            Raster raster = image.getRaster();
            ColorModel colours = image.getColorModel();
            float[] levels = new float[height * width];
            int bands = raster.getNumBands();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float level;
                    if (colours instanceof IndexColorModel palette) { // GIF, 8-bit PNG
                        int index = raster.getSample(x, y, 0);
                        level = luma(palette.getRed(index), palette.getGreen(index), palette.getBlue(index));
                    } else if (bands < 3) { // grey, grey + alpha: the stored levels, never colour-managed
                        level = raster.getSample(x, y, 0) * 255f / ((1 << raster.getSampleModel().getSampleSize(0))
                                - 1);
                    } else {
                        int max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
                        level = luma(raster.getSample(x, y, 0), raster.getSample(x, y, 1), raster.getSample(x, y, 2))
                                * 255f / max;
                    }
                    levels[y * width + x] = level / 255;
                }
            }
            return new Grey(levels, height, width);
        }

        private static float luma(int red, int green, int blue) {
            return 0.299f * red + 0.587f * green + 0.114f * blue;
        }
    }

    private static Path split(Path root, String name) {
        Path folder = root.resolve(name);
        if (!Files.isDirectory(folder)) {
            throw new DataException("the image folder " + root + " has no " + name + "/ (data.path); an image-folder "
                    + "data set holds train/<class>/<images> and test/<class>/<images> (or val/)");
        }
        return folder;
    }

    private static List<Path> subfolders(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + folder + " (" + e.getMessage() + ")");
        }
    }

    /** The folder's image files, sorted by name (other files are ignored). */
    private static List<Path> images(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isRegularFile).filter(file -> {
                String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                int dot = name.lastIndexOf('.');
                return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1));
            }).sorted().toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + folder + " (" + e.getMessage() + ")");
        }
    }
}

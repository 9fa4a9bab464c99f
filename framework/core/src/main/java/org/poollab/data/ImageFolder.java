package org.poollab.data;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.poollab.data.augment.Resampler;

/**
 * An image-folder data set as torchvision's {@code ImageFolder} lays it out: {@code <root>/train/<class>/<image>}
 * and {@code <root>/test/<class>/<image>} (or {@code val/}). The classes are the sorted folder names under
 * {@code train/}. Every image (PNG, JPEG, BMP or GIF) is decoded in colour or in grey ({@link DecodedImage}), its
 * centred square is resized to {@code size x size} (antialiased bicubic) and it is held in memory as bytes, so a
 * set is limited to about 2^31 / (C * size^2) images.
 *
 * <p>Object masks, where a data set has them (CUB-200, Oxford-IIIT Pets, {@code poollab data export}), lie in a
 * folder of their own under the same relative paths as PNGs ({@code <masks>/test/<class>/<name>.png}, non-zero =
 * object); they are resized with their image, so mask and image stay aligned.
 */
public final class ImageFolder {

    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");
    private static final float MASK_THRESHOLD = 0.5f;

    /** How many unreadable images are listed by name in the warning. */
    private static final int NAMED = 3;

    private final Path root;
    private final List<String> classes;
    private final double unreadableLimit;

    private ImageFolder(Path root, List<String> classes, double unreadableLimit) {
        this.root = root;
        this.classes = classes;
        this.unreadableLimit = unreadableLimit;
    }

    /**
     * Opens a data set and lists its classes: the sorted sub-folder names of {@code <root>/train}.
     *
     * @throws DataException if the folder is missing or has no class folders
     */
    public static ImageFolder at(Path root) {
        Path train = split(root, "train");
        List<String> classes = subfolders(train).stream().map(folder -> folder.getFileName().toString()).sorted()
                .toList();
        if (classes.isEmpty()) {
            throw new DataException(train + " has no class folders (data.path); put each class's images in "
                    + train + "/<class name>/");
        }
        return new ImageFolder(root, classes, 0);
    }

    /**
     * The same folder, skipping images that cannot be decoded (corrupt, truncated, not an image) as long as they
     * are at most {@code fraction} of a split's images: a warning counts them and names the first few. More than
     * that is an error naming them, since it points at a broken copy rather than a few bad files.
     *
     * @param fraction in [0, 1]; 0 refuses any unreadable image
     */
    public ImageFolder toleratingUnreadable(double fraction) {
        return new ImageFolder(root, classes, fraction);
    }

    /** The class names; label {@code i} is class {@code classes().get(i)}. */
    public List<String> classes() {
        return classes;
    }

    /**
     * The channels images are read with when {@code data.channels} is {@code auto}: 3 if the first training image
     * of some class is stored in colour, else 1. Looking at one image per class keeps this cheap on large sets.
     */
    public int storedChannels() {
        Path train = root.resolve("train");
        for (String name : classes) {
            List<Path> files = images(train.resolve(name));
            if (!files.isEmpty() && DecodedImage.isColour(files.get(0))) {
                return 3;
            }
        }
        return 1;
    }

    /**
     * Reads the training split, or a seeded random subset of it (the subset {@link ImageDataset#subset} would
     * take from the whole split, without decoding the images left out).
     *
     * @param channels 1 (grey) or 3 (red, green, blue)
     * @param subset how many images, or {@code null} for all
     * @param progress where the reading is announced (decoding many images takes a while)
     */
    public ImageDataset train(int size, int channels, Integer subset, long seed, PrintStream progress) {
        return read(split(root, "train"), size, channels, null, subset, seed, progress);
    }

    /**
     * Reads {@code <root>/test}, or {@code <root>/val} if there is no test folder; as {@link #train}.
     *
     * @param masks the mask folder ({@code data.masks}), or {@code null} for none
     */
    public ImageDataset test(int size, int channels, Path masks, Integer subset, long seed, PrintStream progress) {
        String name = Files.isDirectory(root.resolve("test")) || !Files.isDirectory(root.resolve("val")) ? "test"
                : "val";
        return read(split(root, name), size, channels, masks, subset, seed, progress);
    }

    private ImageDataset read(Path split, int size, int channels, Path masks, Integer subset, long seed,
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
        int[] order = ImageDataset.chosen(files.size(), subset, seed);
        int n = order.length;
        int area = size * size;
        if ((long) n * channels * area > Integer.MAX_VALUE - 8) {
            throw new DataException(split + ": " + n + " images of " + channels + " x " + size + " x " + size
                    + " do not fit in memory as one array; lower data.imageSize or set data.trainSubset / "
                    + "data.testSubset");
        }
        progress.printf(Locale.ROOT, "reading %d of the %d images in %s (%d x %d, %s)%s%n", n, files.size(), split,
                size, size, channels == 3 ? "colour" : "grey", masks == null ? "" : " with masks from " + masks);
        long start = System.nanoTime();
        byte[] pixels = new byte[n * channels * area];
        byte[] maskBytes = masks == null ? null : new byte[n * area];
        int[] chosenLabels = new int[n];
        boolean[] read = new boolean[n];
        Queue<String> unreadable = new ConcurrentLinkedQueue<>();
        IntStream.range(0, n).parallel().forEach(i -> {
            Path file = files.get(order[i]);
            DecodedImage image;
            try {
                image = DecodedImage.read(file, channels);
            } catch (DataException e) {
                unreadable.add(e.getMessage());
                return;
            }
            float[] resized = Resampler.centreSquare(image.planes(), channels, image.height(), image.width(), size);
            for (int p = 0; p < resized.length; p++) {
                pixels[i * resized.length + p] = (byte) Math.round(resized[p] * 255);
            }
            if (maskBytes != null) {
                readMask(maskFile(masks, file), image, size, maskBytes, i * area);
            }
            chosenLabels[i] = labels.get(order[i]);
            read[i] = true;
        });
        progress.printf(Locale.ROOT, "read %d images in %.1f s%n", n - unreadable.size(),
                (System.nanoTime() - start) / 1e9);
        ImageDataset data = new ImageDataset(pixels, chosenLabels, channels, size, size, classes.size(), maskBytes);
        return unreadable.isEmpty() ? data : withoutUnreadable(data, read, unreadable, split, progress);
    }

    /** Drops the images that could not be decoded, or refuses when there are more than the limit allows. */
    private ImageDataset withoutUnreadable(ImageDataset data, boolean[] read, Queue<String> unreadable, Path split,
                                           PrintStream progress) {
        List<String> sorted = unreadable.stream().sorted().toList();
        String named = String.join("; ", sorted.subList(0, Math.min(NAMED, sorted.size())))
                + (sorted.size() > NAMED ? "; ..." : "");
        if (sorted.size() > unreadableLimit * read.length) {
            throw new DataException(sorted.size() + " of the " + read.length + " images in " + split + " cannot be "
                    + "read (more than data.unreadableLimit = " + unreadableLimit + " of them): " + named);
        }
        progress.printf(Locale.ROOT, "warning: skipped %d unreadable image(s) of %d in %s: %s%n", sorted.size(),
                read.length, split, named);
        return data.select(IntStream.range(0, read.length).filter(i -> read[i]).toArray());
    }

    /** The mask of {@code image}: same path relative to the data set's root, under {@code masks}, as a PNG. */
    private Path maskFile(Path masks, Path image) {
        String relative = root.relativize(image).toString();
        int dot = relative.lastIndexOf('.');
        Path mask = masks.resolve(relative.substring(0, dot) + ".png");
        if (!Files.isRegularFile(mask)) {
            throw new DataException("the image " + image + " has no mask " + mask + " (data.masks); a mask folder "
                    + "holds one PNG per image under the same relative path, non-zero = object");
        }
        return mask;
    }

    private static void readMask(Path file, DecodedImage image, int size, byte[] out, int offset) {
        DecodedImage mask = DecodedImage.read(file, 1);
        if (mask.height() != image.height() || mask.width() != image.width()) {
            throw new DataException("the mask " + file + " is " + mask.width() + " x " + mask.height()
                    + " but its image is " + image.width() + " x " + image.height() + " (data.masks); a mask has "
                    + "its image's size");
        }
        float[] object = mask.planes().clone();
        for (int p = 0; p < object.length; p++) {
            object[p] = object[p] > 0 ? 1 : 0;
        }
        float[] resized = Resampler.centreSquare(object, 1, mask.height(), mask.width(), size);
        for (int p = 0; p < resized.length; p++) {
            out[offset + p] = (byte) (resized[p] >= MASK_THRESHOLD ? 1 : 0);
        }
    }

    private static Path split(Path root, String name) {
        if (Files.isRegularFile(root)) {
            throw new DataException("data.path " + root + " is a file, not a folder; an image-folder data set is a "
                    + "folder holding train/<class>/<images> and test/<class>/<images> (or val/)");
        }
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

package org.poollab.data;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * An image-folder data set as torchvision's {@code ImageFolder} lays it out: {@code <root>/train/<class>/<image>}
 * and {@code <root>/test/<class>/<image>} (or {@code val/}). The classes are the sorted folder names under
 * {@code train/}. Its splits are streamed: every image (PNG, JPEG, BMP or GIF) is decoded in colour or in grey
 * ({@link DecodedImage}) when a batch needs it, at its own size ({@link StreamedImages}).
 *
 * <p>Object masks, where a data set has them (CUB-200, Oxford-IIIT Pets, {@code poollab data export}), lie in a
 * folder of their own under the same relative paths as PNGs ({@code <masks>/test/<class>/<name>.png}, non-zero =
 * object, the image's size); they go through every crop and resize with their image, so both stay aligned.
 */
public final class ImageFolder {

    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");
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
     * Every image under {@code folder}, in any sub-folder, sorted by path, streamed without labels (all 0): what
     * {@code poollab embed} computes features of. An unreadable image is an error naming it, since each output row
     * belongs to one file.
     *
     * @param channels 1 (grey) or 3 (red, green, blue)
     * @throws DataException if the folder is missing or holds no images
     */
    public static StreamedImages everyImageUnder(Path folder, int channels, DecodedCache cache,
                                                 PrintStream progress) {
        if (!Files.isDirectory(folder)) {
            throw new DataException(folder + " is not a folder; pass the folder holding the images (--images)");
        }
        List<Path> files;
        try (Stream<Path> entries = Files.walk(folder)) {
            files = entries.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + folder + " (" + e.getMessage() + ")");
        }
        if (files.isEmpty()) {
            throw new DataException(folder + " holds no images (PNG, JPEG, BMP or GIF) in any sub-folder");
        }
        progress.printf(Locale.ROOT, "streaming the %d images under %s (%s)%n", files.size(), folder,
                channels == 3 ? "colour" : "grey");
        return new StreamedImages(folder.toString(), files, new int[files.size()], null, channels, 1, cache, 0,
                progress);
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
     * The training split, or a seeded random subset of it (the subset {@link ImageDataset#subset} would take from
     * the whole split), streamed from its files ({@link StreamedImages}).
     *
     * @param channels 1 (grey) or 3 (red, green, blue)
     * @param subset how many images, or {@code null} for all
     * @param cache the decoded images kept in memory, shared by the splits
     * @param progress where the split is announced and unreadable images are reported
     */
    public StreamedImages train(int channels, Integer subset, long seed, DecodedCache cache, PrintStream progress) {
        return open(split(root, "train"), channels, null, subset, seed, cache, progress);
    }

    /**
     * {@code <root>/test}, or {@code <root>/val} if there is no test folder; as {@link #train}.
     *
     * @param masks the mask folder ({@code data.masks}), or {@code null} for none
     */
    public StreamedImages test(int channels, Path masks, Integer subset, long seed, DecodedCache cache,
                               PrintStream progress) {
        String name = Files.isDirectory(root.resolve("test")) || !Files.isDirectory(root.resolve("val")) ? "test"
                : "val";
        return open(split(root, name), channels, masks, subset, seed, cache, progress);
    }

    private StreamedImages open(Path split, int channels, Path masks, Integer subset, long seed, DecodedCache cache,
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
        List<Path> chosen = IntStream.of(order).mapToObj(files::get).toList();
        // Every mask is looked for now, before training, since a missing one would otherwise stop a run late.
        List<Path> maskFiles = masks == null ? null : chosen.stream().map(file -> maskFile(masks, file)).toList();
        progress.printf(Locale.ROOT, "streaming %d of the %d images in %s (%s, decoded on demand)%s%n",
                chosen.size(), files.size(), split, channels == 3 ? "colour" : "grey",
                masks == null ? "" : " with masks from " + masks);
        return new StreamedImages(split.toString(), chosen, IntStream.of(order).map(labels::get).toArray(),
                maskFiles, channels, classes.size(), cache, unreadableLimit, progress);
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

    /** Whether the file's extension is an image format PoolLab decodes. */
    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1));
    }

    /** The folder's image files, sorted by name (other files are ignored). */
    private static List<Path> images(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + folder + " (" + e.getMessage() + ")");
        }
    }
}

package org.poollab.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Loads Fashion-MNIST from the IDX files of the Debian package {@code dataset-fashion-mnist}. */
public final class FashionMnist {

    /** The ten Fashion-MNIST classes. */
    public static final int CLASSES = 10;
    /** The class names of labels 0 to 9 (the data set's README). */
    public static final List<String> CLASS_NAMES = List.of("t-shirt-top", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle-boot");

    /** Images are SIZE x SIZE grey levels. */
    public static final int SIZE = 28;

    private FashionMnist() {
    }

    /** The 60k training images. */
    public static ImageDataset train(Path folder) {
        return load(folder, "train", false);
    }

    /**
     * The 10k test images, with the data set's free segmentation as object masks: objects on a black background,
     * so object = pixel &gt; 0 (docs/method.md §7).
     */
    public static ImageDataset test(Path folder) {
        return load(folder, "t10k", true);
    }

    private static ImageDataset load(Path folder, String prefix, boolean masks) {
        if (Files.isRegularFile(folder)) {
            throw new DataException("data.path " + folder + " is a file, not a folder; point it at the folder that "
                    + "holds " + prefix + "-images-idx3-ubyte.gz (the Debian package installs "
                    + "/usr/share/datasets/fashion-mnist)");
        }
        if (!Files.isDirectory(folder)) {
            throw new DataException("data folder " + folder + " does not exist (data.path). Install the Debian "
                    + "package: sudo apt-get install dataset-fashion-mnist, or point data.path at a folder with "
                    + prefix + "-images-idx3-ubyte.gz");
        }
        Path images = find(folder, prefix + "-images-idx3-ubyte");
        Path labels = find(folder, prefix + "-labels-idx1-ubyte");
        try {
            int[] dims = new int[3];
            byte[] pixels = IdxReader.images(images, dims);
            int[] classes = IdxReader.labels(labels);
            if (classes.length != dims[0]) {
                throw new DataException(images + " holds " + dims[0] + " images but " + labels + " holds "
                        + classes.length + " labels");
            }
            return new ImageDataset(pixels, classes, 1, dims[1], dims[2], CLASSES, masks ? nonZero(pixels) : null);
        } catch (IOException e) {
            throw new DataException("cannot read " + images + " / " + labels + ": " + e.getMessage()
                    + " (reinstall dataset-fashion-mnist or fix data.path)");
        }
    }

    private static byte[] nonZero(byte[] pixels) {
        byte[] mask = new byte[pixels.length];
        for (int p = 0; p < pixels.length; p++) {
            mask[p] = (byte) (pixels[p] != 0 ? 1 : 0);
        }
        return mask;
    }

    private static Path find(Path folder, String stem) {
        for (String name : new String[] {stem + ".gz", stem}) {
            Path candidate = folder.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new DataException("data folder " + folder + " has no " + stem + ".gz (data.path); install "
                + "dataset-fashion-mnist or copy the IDX files there");
    }
}

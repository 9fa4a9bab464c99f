package org.poollab.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Writes data sets as an image folder that {@link ImageFolder} (and torchvision's {@code ImageFolder}) reads:
 * {@code <out>/<split>/<label>-<class>/<index>.png}, and the object masks, if any, as {@code <out>/masks/<split>/
 * <label>-<class>/<index>.png} (255 = object) for {@code data.masks: <out>/masks}. PNG is lossless, so the folder
 * reads back to the same bytes. Labels and indices are zero-padded, so that sorted names give the labels and the
 * set's order back.
 */
public final class ImageFolderWriter {

    /** The mask folder's name inside the written folder. */
    public static final String MASKS = "masks";

    private final Path out;
    private final List<String> classNames;

    /**
     * @param out the folder to write; must not exist or be empty, so that nothing is overwritten
     * @param classNames names of labels 0, 1, ... (each folder is the padded label, a dash and the name)
     * @throws DataException if {@code out} holds files
     */
    public ImageFolderWriter(Path out, List<String> classNames) {
        if (Files.isDirectory(out)) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new DataException(out + " is not empty (--out); choose a new folder, so that nothing "
                            + "in it is overwritten");
                }
            } catch (IOException e) {
                throw new DataException("cannot list " + out + " (" + e.getMessage() + ")");
            }
        } else if (Files.exists(out)) {
            throw new DataException(out + " is a file (--out); give a folder to create");
        }
        this.out = out;
        int digits = String.valueOf(classNames.size() - 1).length();
        this.classNames = IntStream.range(0, classNames.size())
                .mapToObj(label -> String.format(Locale.ROOT, "%0" + digits + "d-%s", label, classNames.get(label)))
                .toList();
    }

    /**
     * Writes one split. Every class gets its folder, even one without images in a small subset, so that the
     * folder's classes (and so its labels) are those of the whole data set.
     *
     * @param split {@code train} or {@code test}
     */
    public void write(String split, ImageDataset data) {
        for (String name : classNames) {
            try {
                Files.createDirectories(out.resolve(split).resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + out.resolve(split).resolve(name), e);
            }
        }
        IntStream.range(0, data.size()).parallel().forEach(i -> {
            Path relative = Path.of(split, classNames.get(data.labels()[i]),
                    String.format(Locale.ROOT, "%06d.png", i));
            png(image(data, i), out.resolve(relative));
            if (data.hasMasks()) {
                png(mask(data, i), out.resolve(MASKS).resolve(relative));
            }
        });
    }

    private static BufferedImage image(ImageDataset data, int i) {
        boolean colour = data.channels() == 3;
        BufferedImage image = new BufferedImage(data.width(), data.height(),
                colour ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < data.height(); y++) {
            for (int x = 0; x < data.width(); x++) {
                if (colour) {
                    image.setRGB(x, y, (data.pixel(i, 0, y, x) << 16) | (data.pixel(i, 1, y, x) << 8)
                            | data.pixel(i, 2, y, x));
                } else {
                    image.getRaster().setSample(x, y, 0, data.pixel(i, 0, y, x));
                }
            }
        }
        return image;
    }

    private static BufferedImage mask(ImageDataset data, int i) {
        BufferedImage image = new BufferedImage(data.width(), data.height(), BufferedImage.TYPE_BYTE_GRAY);
        boolean[] mask = data.mask(i);
        for (int p = 0; p < mask.length; p++) {
            image.getRaster().setSample(p % data.width(), p / data.width(), 0, mask[p] ? 255 : 0);
        }
        return image;
    }

    private static void png(BufferedImage image, Path file) {
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}

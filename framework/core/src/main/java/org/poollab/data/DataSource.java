package org.poollab.data;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.poollab.api.backbone.ImageShape;
import org.poollab.config.DataConfig;
import org.poollab.data.clutter.FashionClutter;

/**
 * The train and test sets an experiment's {@code data} section names, with its optional seeded subsets, in the
 * configured channels: Fashion-MNIST and fashion-clutter held in memory, image folders streamed from disk.
 *
 * @param train the training images
 * @param test the test images (with object masks where the data set has them)
 */
public record DataSource(ImageSet train, ImageSet test) {

    private static final long MEGABYTE = 1024L * 1024;

    /**
     * Loads both splits.
     *
     * @param progress where reading an image folder and the normalisation in use are announced
     */
    public static DataSource load(DataConfig config, long seed, PrintStream progress) {
        int channels = channels(config);
        // Fails here, before any image is read, when data.mean / data.std do not fit the channels.
        String normalisation = config.describeNormalisation(channels);
        DataSource data;
        if (config.dataset().equals(DataConfig.IMAGE_FOLDER)) {
            ImageFolder folder = ImageFolder.at(config.path()).toleratingUnreadable(config.unreadableLimit());
            DecodedCache cache = new DecodedCache(config.cacheMb() * MEGABYTE);
            data = new DataSource(folder.train(channels, config.trainSubset(), seed, cache, progress),
                    folder.test(channels, config.masks(), config.testSubset(), seed + 1, cache, progress));
            progress.printf(Locale.ROOT, "%d decoding worker(s) (data.workers), up to %d MB of decoded images kept "
                    + "in memory (data.cacheMb)%n", config.workerThreads(), config.cacheMb());
        } else if (config.dataset().equals(FashionClutter.ID)) {
            InMemory scenes = fashionClutter(config.path(), config.imageSize(), config.trainSubset(),
                    config.testSubset(), seed, progress);
            data = new DataSource(scenes.train().withChannels(channels), scenes.test().withChannels(channels));
        } else {
            ImageDataset train = FashionMnist.train(config.path()).withChannels(channels);
            ImageDataset test = FashionMnist.test(config.path()).withChannels(channels);
            warnIfLarger("data.trainSubset", config.trainSubset(), train.size(), progress);
            warnIfLarger("data.testSubset", config.testSubset(), test.size(), progress);
            data = new DataSource(subset(train, config.trainSubset(), seed),
                    subset(test, config.testSubset(), seed + 1));
        }
        progress.println(normalisation);
        return data;
    }

    /** The image shape of the configured data set, known without reading the images. */
    public static ImageShape inputShape(DataConfig config) {
        return new ImageShape(channels(config), config.imageSize(), config.imageSize());
    }

    /**
     * The configured channels, or for {@code auto} the data's own: Fashion-MNIST is grey, fashion-clutter colour;
     * an image folder is colour if it stores colour ({@link ImageFolder#storedChannels}).
     */
    public static int channels(DataConfig config) {
        if (config.channels() != null) {
            return config.channels();
        }
        return switch (config.dataset()) {
            case DataConfig.IMAGE_FOLDER -> ImageFolder.at(config.path()).storedChannels();
            case FashionClutter.ID -> 3;
            default -> 1;
        };
    }

    /**
     * The fashion-clutter splits in colour, as an experiment with these data keys and seed sees them (and as
     * {@code poollab data export} writes them): the scenes of the chosen items only, the subsets the whole set's
     * subsets would be.
     *
     * @param source the Fashion-MNIST IDX folder
     * @param trainSubset how many training scenes, or {@code null} for all
     * @param testSubset how many test scenes, or {@code null} for all
     */
    public static InMemory fashionClutter(Path source, int size, Integer trainSubset, Integer testSubset,
                                            long seed, PrintStream progress) {
        ImageDataset trainItems = FashionMnist.train(source);
        ImageDataset testItems = FashionMnist.test(source);
        warnIfLarger("data.trainSubset", trainSubset, trainItems.size(), progress);
        warnIfLarger("data.testSubset", testSubset, testItems.size(), progress);
        int[] train = ImageDataset.chosen(trainItems.size(), trainSubset, seed);
        int[] test = ImageDataset.chosen(testItems.size(), testSubset, seed + 1);
        progress.printf(Locale.ROOT, "generating %d + %d %s scenes (%d x %d, colour, with object masks)%n",
                train.length, test.length, FashionClutter.ID, size, size);
        long start = System.nanoTime();
        InMemory data = new InMemory(FashionClutter.scenes(trainItems, false, size, train),
                FashionClutter.scenes(testItems, true, size, test));
        progress.printf(Locale.ROOT, "generated them in %.1f s%n", (System.nanoTime() - start) / 1e9);
        return data;
    }

    /**
     * Both splits of a data set held in memory.
     *
     * @param train the training images
     * @param test the test images
     */
    public record InMemory(ImageDataset train, ImageDataset test) {
    }

    private static ImageSet subset(ImageDataset data, Integer count, long seed) {
        return count == null ? data : data.subset(count, seed);
    }

    /** Says when a subset asks for more images than its split has (all of them are used then). */
    private static void warnIfLarger(String key, Integer count, int size, PrintStream progress) {
        if (count != null && count > size) {
            progress.printf(Locale.ROOT, "warning: %s = %d is more than the %d images of the split; using all %d%n",
                    key, count, size, size);
        }
    }
}

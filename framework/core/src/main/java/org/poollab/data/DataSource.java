package org.poollab.data;

import java.io.PrintStream;
import org.poollab.api.backbone.ImageShape;
import org.poollab.config.DataConfig;

/**
 * The train and test sets an experiment's {@code data} section names, with its optional seeded subsets, in the
 * configured channels.
 *
 * @param train the training images
 * @param test the test images (with object masks where the data set has them)
 */
public record DataSource(ImageDataset train, ImageDataset test) {

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
            ImageFolder folder = ImageFolder.at(config.path());
            data = new DataSource(
                    folder.train(config.imageSize(), channels, config.trainSubset(), seed, progress),
                    folder.test(config.imageSize(), channels, config.masks(), config.testSubset(), seed + 1,
                            progress));
        } else {
            ImageDataset train = FashionMnist.train(config.path()).withChannels(channels);
            ImageDataset test = FashionMnist.test(config.path()).withChannels(channels);
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
     * The configured channels, or for {@code auto} the data's own: Fashion-MNIST is grey; an image folder is
     * colour if it stores colour ({@link ImageFolder#storedChannels}).
     */
    public static int channels(DataConfig config) {
        if (config.channels() != null) {
            return config.channels();
        }
        return config.dataset().equals(DataConfig.IMAGE_FOLDER) ? ImageFolder.at(config.path()).storedChannels()
                : 1;
    }

    private static ImageDataset subset(ImageDataset data, Integer count, long seed) {
        return count == null ? data : data.subset(count, seed);
    }
}

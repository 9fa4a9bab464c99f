package org.poollab.data;

import java.io.PrintStream;
import java.util.List;
import org.poollab.api.backbone.ImageShape;
import org.poollab.config.DataConfig;

/**
 * The train and test sets an experiment's {@code data} section names, with its optional seeded subsets.
 *
 * @param train the training images
 * @param test the test images
 */
public record DataSource(ImageDataset train, ImageDataset test) {

    /**
     * Loads both splits.
     *
     * @param progress where reading an image folder is announced
     */
    public static DataSource load(DataConfig config, long seed, PrintStream progress) {
        if (config.dataset().equals(DataConfig.IMAGE_FOLDER)) {
            List<String> classes = ImageFolder.classes(config.path());
            return new DataSource(
                    ImageFolder.train(config.path(), classes, config.imageSize(), config.trainSubset(), seed, progress),
                    ImageFolder.test(config.path(), classes, config.imageSize(), config.testSubset(), seed + 1,
                            progress));
        }
        ImageDataset train = FashionMnist.train(config.path());
        ImageDataset test = FashionMnist.test(config.path());
        return new DataSource(subset(train, config.trainSubset(), seed), subset(test, config.testSubset(), seed + 1));
    }

    /** The image shape of the configured data set, known without reading it (grey levels, so one channel). */
    public static ImageShape inputShape(DataConfig config) {
        return new ImageShape(1, config.imageSize(), config.imageSize());
    }

    private static ImageDataset subset(ImageDataset data, Integer count, long seed) {
        return count == null ? data : data.subset(count, seed);
    }
}

package org.poollab.data;

import org.poollab.api.backbone.ImageShape;
import org.poollab.config.DataConfig;

/**
 * The train and test sets an experiment's {@code data} section names, with its optional seeded subsets.
 *
 * @param train the training images
 * @param test the test images
 */
public record DataSource(ImageDataset train, ImageDataset test) {

    /** Loads both splits. */
    public static DataSource load(DataConfig config, long seed) {
        ImageDataset train = FashionMnist.train(config.path());
        ImageDataset test = FashionMnist.test(config.path());
        return new DataSource(subset(train, config.trainSubset(), seed), subset(test, config.testSubset(), seed + 1));
    }

    /** The image shape of the configured data set, known without reading it. */
    public static ImageShape inputShape(DataConfig config) {
        return switch (config.dataset()) {
            case "fashion-mnist" -> new ImageShape(1, FashionMnist.SIZE, FashionMnist.SIZE);
            default -> throw new DataException("unknown data set '" + config.dataset() + "' (data.dataset)");
        };
    }

    private static ImageDataset subset(ImageDataset data, Integer count, long seed) {
        return count == null ? data : data.subset(count, seed);
    }
}

package org.poollab.config;

import java.nio.file.Path;

/**
 * The data set and its preprocessing.
 *
 * @param dataset the data set id: {@value #FASHION_MNIST} or {@value #IMAGE_FOLDER}
 * @param path the folder with the IDX files, or the image folder (with {@code train/} and {@code test/} or
 *             {@code val/})
 * @param imageSize the side images are resized to (image folders; Fashion-MNIST's are 28)
 * @param trainSubset how many training images to use (a seeded random subset), or {@code null} for all
 * @param testSubset how many test images to use, or {@code null} for all
 * @param mean pixel mean for normalisation (pixels scaled to [0, 1] first)
 * @param std pixel standard deviation for normalisation
 * @param cropPadding zero padding for the random crop augmentation; 0 disables it
 * @param flip whether to flip training images horizontally with p = 0.5
 */
public record DataConfig(String dataset, Path path, int imageSize, Integer trainSubset, Integer testSubset,
                         double mean, double std, int cropPadding, boolean flip) {

    /** The embedded default data set (Debian package {@code dataset-fashion-mnist}). */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** Any folder laid out as torchvision's ImageFolder. */
    public static final String IMAGE_FOLDER = "imagefolder";

    /**
     * Whether an image's object is its non-zero pixels on a black background (Fashion-MNIST), the ground truth the
     * attention Jaccard needs.
     */
    public boolean hasObjectMasks() {
        return dataset.equals(FASHION_MNIST);
    }
}

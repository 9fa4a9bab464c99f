package org.poollab.config;

import java.nio.file.Path;

/**
 * The data set and its preprocessing.
 *
 * @param dataset the data set id ({@code fashion-mnist})
 * @param path the folder with the IDX files
 * @param trainSubset how many training images to use (a seeded random subset), or {@code null} for all
 * @param testSubset how many test images to use, or {@code null} for all
 * @param mean pixel mean for normalisation (pixels scaled to [0, 1] first)
 * @param std pixel standard deviation for normalisation
 * @param cropPadding zero padding for the random crop augmentation; 0 disables it
 * @param flip whether to flip training images horizontally with p = 0.5
 */
public record DataConfig(String dataset, Path path, Integer trainSubset, Integer testSubset, double mean, double std,
                         int cropPadding, boolean flip) {
}

package org.poollab.config;

import java.util.List;

/**
 * DINO's per-view photometric augmentations (docs/method.md §6). On grey images saturation, hue and grayscale change
 * nothing, so the colour jitter reduces to brightness and contrast there.
 *
 * @param flip whether views are flipped horizontally with p = 0.5
 * @param brightness brightness factor drawn from [1 - b, 1 + b]
 * @param contrast contrast factor drawn from [1 - c, 1 + c]
 * @param saturation saturation factor drawn from [1 - s, 1 + s]
 * @param hue hue shift drawn from [-h, h] of a full turn
 * @param jitterProbability probability of applying the colour jitter
 * @param grayscaleProbability probability of turning a view grey (luma in all three channels)
 * @param blurProbability Gaussian blur probability for global view 1, global view 2 and local views
 * @param blurSigma range of the blur's sigma in pixels of the output view
 * @param solarizeProbability probability of solarising global view 2
 */
public record AugmentationConfig(boolean flip, double brightness, double contrast, double saturation, double hue,
                                 double jitterProbability, double grayscaleProbability,
                                 List<Double> blurProbability, List<Double> blurSigma, double solarizeProbability) {

    /** Copies the lists. */
    public AugmentationConfig {
        blurProbability = List.copyOf(blurProbability);
        blurSigma = List.copyOf(blurSigma);
    }
}

package org.poollab.config;

import java.util.List;

/**
 * DINO's per-view photometric augmentations for grey-level images (colour jitter reduces to brightness and
 * contrast).
 *
 * @param flip whether views are flipped horizontally with p = 0.5
 * @param brightness brightness factor drawn from [1 - b, 1 + b]
 * @param contrast contrast factor drawn from [1 - c, 1 + c]
 * @param jitterProbability probability of applying the brightness/contrast jitter
 * @param blurProbability Gaussian blur probability for global view 1, global view 2 and local views
 * @param blurSigma range of the blur's sigma in pixels of the output view
 * @param solarizeProbability probability of solarising global view 2
 */
public record AugmentationConfig(boolean flip, double brightness, double contrast, double jitterProbability,
                                 List<Double> blurProbability, List<Double> blurSigma, double solarizeProbability) {

    /** Copies the lists. */
    public AugmentationConfig {
        blurProbability = List.copyOf(blurProbability);
        blurSigma = List.copyOf(blurSigma);
    }
}

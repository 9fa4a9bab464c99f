package org.poollab.config;

/**
 * AdamW with a cosine learning-rate schedule after a linear warm-up.
 *
 * @param lr peak learning rate
 * @param minLr final learning rate of the cosine
 * @param weightDecay decoupled weight decay (AdamW), not applied to biases, norms and 1-d parameters
 * @param warmupFraction share of all steps spent in the linear warm-up
 * @param clipGrad maximum L2 norm of each parameter's gradient; 0 disables clipping
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param eps Adam's epsilon
 */
public record OptimizerConfig(double lr, double minLr, double weightDecay, double warmupFraction, double clipGrad,
                              double beta1, double beta2, double eps) {
}

package org.poollab.config;

/**
 * AdamW with a cosine learning-rate schedule after a linear warm-up and a cosine weight-decay schedule.
 *
 * @param lr peak learning rate
 * @param minLr final learning rate of the cosine
 * @param weightDecay decoupled weight decay (AdamW) at the first step, not applied to biases, norms and 1-d
 *     parameters
 * @param weightDecayEnd weight decay at the last step (cosine from weightDecay; equal for a constant decay)
 * @param warmupFraction share of all steps spent in the linear warm-up
 * @param clipGrad maximum L2 norm of each parameter's gradient; 0 disables clipping
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param eps Adam's epsilon
 */
public record OptimizerConfig(double lr, double minLr, double weightDecay, double weightDecayEnd,
                              double warmupFraction, double clipGrad,
                              double beta1, double beta2, double eps) {
}

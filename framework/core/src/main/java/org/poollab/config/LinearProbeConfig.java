package org.poollab.config;

/**
 * The offline linear probe (docs/method.md §7): a linear classifier trained on frozen features extracted once.
 *
 * @param epochs passes over the cached training features
 * @param batchSize features per step
 * @param lr peak learning rate; a cosine takes it to 0 over all steps
 * @param weightDecay L2 penalty (SGD) or decoupled decay (AdamW) on the weights, not the bias
 * @param optimizer {@link #SGD} (momentum 0.9, DINO's {@code eval_linear.py}) or {@link #ADAMW}
 */
public record LinearProbeConfig(int epochs, int batchSize, double lr, double weightDecay, String optimizer) {

    /** SGD with momentum 0.9. */
    public static final String SGD = "sgd";

    /** AdamW (betas 0.9 / 0.999, eps 1e-8). */
    public static final String ADAMW = "adamw";
}

package org.poollab.api.graph;

/**
 * A placeholder fed at every step whose value differs between training and evaluation, so that a graph needs no
 * rebuilding to switch modes and randomness stays reproducible. Two kinds:
 * <ul>
 *   <li>a per-sample keep mask for stochastic depth, shape {@code [B, 1, ..., 1]}: training feeds
 *       Bernoulli(1 - p) / (1 - p) per sample from the run's seeded generator, evaluation feeds ones;</li>
 *   <li>the batch-statistics flag of batch normalisation ({@link #trainingFlag}), shape {@code [1]}: 1 in
 *       training (normalise with the batch's statistics), 0 in evaluation (with the running averages).</li>
 * </ul>
 *
 * @param placeholder the placeholder's name in the graph
 * @param dropProbability p, in [0, 1) (0 for the flag)
 * @param rank the placeholder's rank (batch axis included; 1 for the flag)
 * @param input the image input whose batch size B it follows ("" for the graph's main input and the flag)
 * @param trainingFlag whether this is the batch-statistics flag rather than a keep mask
 */
public record StochasticInput(String placeholder, double dropProbability, int rank, String input,
                              boolean trainingFlag) {

    /** A stochastic-depth keep mask. */
    public StochasticInput(String placeholder, double dropProbability, int rank, String input) {
        this(placeholder, dropProbability, rank, input, false);
    }

    /** The batch-statistics flag named {@code placeholder}. */
    public static StochasticInput flag(String placeholder) {
        return new StochasticInput(placeholder, 0, 1, "", true);
    }
}

package org.poollab.api.graph;

/**
 * A per-sample random keep mask fed as a placeholder at every step (stochastic depth). Training feeds
 * Bernoulli(1 - p) / (1 - p) per sample from the run's seeded generator, evaluation feeds ones, so a graph needs no
 * training flag and randomness stays reproducible.
 *
 * @param placeholder the placeholder's name in the graph; its shape is {@code [B, 1, ..., 1]}
 * @param dropProbability p, in [0, 1)
 * @param rank the placeholder's rank (batch axis included)
 * @param input the image input whose batch size B it follows ("" for the graph's main input)
 */
public record StochasticInput(String placeholder, double dropProbability, int rank, String input) {
}

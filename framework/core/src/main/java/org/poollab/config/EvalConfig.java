package org.poollab.config;

import java.util.List;
import java.util.Optional;

/**
 * k-NN evaluation and the optional linear probe (docs/method.md §7).
 *
 * @param k the neighbourhood sizes to report
 * @param temperature T of the {@code exp(sim / T)} vote
 * @param everyEpochs evaluate after every this many epochs (and always at the end)
 * @param batchSize images per feature-extraction batch
 * @param memoryBudgetMb memory for one chunk of the similarity matrix
 * @param linear the linear probe's settings, when {@code eval.linear} is given
 */
public record EvalConfig(List<Integer> k, double temperature, int everyEpochs, int batchSize, int memoryBudgetMb,
                         Optional<LinearProbeConfig> linear) {

    /** Copies the list. */
    public EvalConfig {
        k = List.copyOf(k);
    }
}

package org.poollab.api.graph;

/**
 * A non-trainable graph constant that follows a batch statistic by an exponential moving average, updated by the
 * trainer after every training step: {@code running <- (1 - momentum) running + momentum batch} (PyTorch's batch
 * norm convention). Batch norm's running mean and variance are two of these.
 *
 * @param name the constant's graph name (checkpointed with the parameters)
 * @param batchValue the graph variable holding this step's batch statistic, same shape as the constant
 * @param momentum the weight of the new batch value, in (0, 1]
 */
public record RunningAverage(String name, String batchValue, double momentum) {
}

package org.poollab.config;

/**
 * How to train.
 *
 * @param id the trainer ({@code supervised})
 * @param epochs passes over the training set
 * @param batchSize images per step
 * @param labelSmoothing label smoothing of the cross-entropy target
 * @param optimizer AdamW and its schedule
 * @param logEvery log step metrics to MLflow every this many steps
 */
public record TrainerConfig(String id, int epochs, int batchSize, double labelSmoothing, OptimizerConfig optimizer,
                            int logEvery) {
}

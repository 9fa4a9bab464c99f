package org.poollab.config;

/**
 * How to train.
 *
 * @param id the trainer ({@code supervised}, {@code dino} or {@code mocov3})
 * @param epochs passes over the training set
 * @param batchSize images per step
 * @param labelSmoothing label smoothing of the cross-entropy target
 * @param optimizer AdamW and its schedule
 * @param logEvery log step metrics to MLflow every this many steps
 * @param dino DINO's settings when {@code id} is {@code dino}, else {@code null}
 * @param mocov3 MoCo v3's settings when {@code id} is {@code mocov3}, else {@code null}
 */
public record TrainerConfig(String id, int epochs, int batchSize, double labelSmoothing, OptimizerConfig optimizer,
                            int logEvery, DinoConfig dino, MocoConfig mocov3) {
}

package org.poollab.config;

/**
 * How to train.
 *
 * @param kind the trainer
 * @param epochs passes over the training set
 * @param batchSize images per step
 * @param labelSmoothing label smoothing of the cross-entropy target
 * @param optimizer AdamW and its schedule
 * @param logEvery log step metrics to MLflow every this many steps
 * @param dino DINO's settings when the kind is DINO, else {@code null}
 * @param mocov3 MoCo v3's settings when the kind is MOCOV3, else {@code null}
 */
public record TrainerConfig(TrainerKind kind, int epochs, int batchSize, double labelSmoothing,
                            OptimizerConfig optimizer, int logEvery, DinoConfig dino, MocoConfig mocov3) {

    /** The trainer's id, as experiment files write it. */
    public String id() {
        return kind.id();
    }
}

package org.poollab.config;

import org.poollab.api.graph.Precision;

/**
 * How to train.
 *
 * @param kind the trainer
 * @param epochs passes over the training set
 * @param batchSize images per step
 * @param labelSmoothing label smoothing of the cross-entropy target
 * @param optimizer AdamW and its schedule
 * @param logEvery log step metrics to MLflow every this many steps
 * @param replicas graph replicas each step's batch is split across (data parallel on this machine's cores), or
 *     {@code null} for auto ({@link #replicaCount})
 * @param precision the number format of the graphs' matrix products (bf16-matmul only where the CPU has AMX;
 *     {@link org.poollab.model.MatrixUnits#effective})
 * @param dino DINO's settings when the kind is DINO, else {@code null}
 * @param mocov3 MoCo v3's settings when the kind is MOCOV3, else {@code null}
 */
public record TrainerConfig(TrainerKind kind, int epochs, int batchSize, double labelSmoothing,
                            OptimizerConfig optimizer, int logEvery, Integer replicas, Precision precision,
                            DinoConfig dino, MocoConfig mocov3) {

    /** The trainer's id, as experiment files write it. */
    public String id() {
        return kind.id();
    }

    /** The replicas to train with at the configured batch size ({@link #replicaCount(int)}). */
    public int replicaCount() {
        return replicaCount(batchSize);
    }

    /**
     * The replicas to train with when each step holds {@code images} images (fewer than the batch size when the
     * training set is smaller): as configured, or for auto the most that this process's threads allow
     * ({@code OMP_NUM_THREADS}, else the cores) and the images split into evenly; 1 for MoCo v3, whose heads'
     * batch norms use the whole batch's statistics (the reference's SyncBatchNorm).
     *
     * @throws ConfigException if the configured replicas do not divide {@code images}
     */
    public int replicaCount(int images) {
        if (replicas != null) {
            if (images % replicas != 0) {
                throw new ConfigException("trainer.replicas", "is " + replicas + ", which does not divide the "
                        + images + " images of each step (the training set is smaller than trainer.batchSize): "
                        + "choose a divisor of " + images + ", or auto");
            }
            return replicas;
        }
        if (kind == TrainerKind.MOCOV3) {
            return 1;
        }
        String omp = System.getenv("OMP_NUM_THREADS");
        int threads = omp != null && omp.matches("\\d+") ? Integer.parseInt(omp)
                : Runtime.getRuntime().availableProcessors();
        for (int n = Math.min(threads, images); n > 1; n--) {
            if (images % n == 0) {
                return n;
            }
        }
        return 1;
    }
}

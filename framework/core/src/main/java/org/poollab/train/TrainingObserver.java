package org.poollab.train;

import java.nio.file.Path;
import java.util.Map;

/** Receives a run's metrics as training proceeds (MLflow tracking implements it). */
public interface TrainingObserver {

    /** Step metrics (loss, lr, img/s) at global step {@code step}. */
    void onStep(int step, Map<String, Double> metrics);

    /**
     * Metrics of epoch {@code epoch} (1-based): its wall time, and after an evaluation the k-NN and attention
     * scores; logged with the epoch as step.
     */
    void onEpochMetrics(int epoch, Map<String, Double> metrics);

    /** A file the run produced (e.g. the attention grid), stored as {@code artifactPath} with the run. */
    void onArtifact(Path file, String artifactPath);
}

package org.poollab.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A validated experiment: every key present (defaults filled in), every value in range.
 *
 * @param experiment the MLflow experiment name
 * @param seed seeds initialisation, data order, augmentation and stochastic depth
 * @param data the data set
 * @param backbone the backbone plugin component
 * @param pooling the pooling plugin component
 * @param trainer how to train
 * @param eval how to evaluate
 * @param tracking where to log
 * @param slurm the resources of each task when a sweep runs as a Slurm job array ({@code executor.slurm}), if set
 * @param resolved the same values as a nested map with defaults filled in (logged as run params)
 */
public record ExperimentConfig(String experiment, long seed, DataConfig data, ComponentConfig backbone,
                               ComponentConfig pooling, TrainerConfig trainer, EvalConfig eval,
                               TrackingConfig tracking, Optional<SlurmConfig> slurm,
                               Map<String, Object> resolved) {

    /** Freezes the resolved map. */
    public ExperimentConfig {
        resolved = Collections.unmodifiableMap(new LinkedHashMap<>(resolved));
    }

    /** The resolved config flattened to dotted keys ({@code trainer.optimizer.lr}), as logged to MLflow. */
    public Map<String, String> flattened() {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", resolved, out);
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = prefix.isEmpty() ? String.valueOf(entry.getKey()) : prefix + "." + entry.getKey();
            if (entry.getValue() instanceof Map<?, ?> child) {
                flatten(key, child, out);
            } else {
                out.put(key, String.valueOf(entry.getValue()));
            }
        }
    }
}

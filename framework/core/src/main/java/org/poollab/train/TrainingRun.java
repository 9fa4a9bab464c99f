package org.poollab.train;

import java.nio.file.Path;
import java.util.Optional;
import org.poollab.config.ExperimentConfig;
import org.poollab.data.DataSource;
import org.poollab.model.ModelSpec;
import org.poollab.plugin.PluginProvenance;

/**
 * Everything one training run needs.
 *
 * @param spec the resolved backbone and pooling
 * @param plugins the plugin jars they came from (recorded in checkpoints)
 * @param data train and test sets
 * @param config the experiment
 * @param configText the experiment file's text (stored in checkpoints)
 * @param checkpoints the folder for this run's checkpoints
 * @param observer receives step and evaluation metrics (MLflow)
 * @param resumeFrom the checkpoint to continue from, or empty for a fresh start
 */
public record TrainingRun(ModelSpec spec, PluginProvenance plugins, DataSource data, ExperimentConfig config,
                          String configText, Path checkpoints, TrainingObserver observer,
                          Optional<Checkpoint> resumeFrom) {
}

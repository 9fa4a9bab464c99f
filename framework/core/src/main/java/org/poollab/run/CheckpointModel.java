package org.poollab.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.poollab.config.ExperimentConfig;
import org.poollab.data.DataException;
import org.poollab.model.ModelGraph;
import org.poollab.model.ModelSpec;
import org.poollab.plugin.ComponentRegistry;
import org.poollab.train.Checkpoint;
import org.poollab.train.CheckpointWeights;
import org.poollab.train.RunCheckpoints;

/**
 * A checkpoint's model rebuilt for evaluation: its config (with any overrides), the backbone + pooling graph, and
 * the trained weights (DINO: the teacher's) put in. What {@code attention}, {@code eval} and {@code embed} share.
 *
 * @param file the checkpoint file
 * @param checkpoint its contents
 * @param config the config it was trained with, overrides applied
 * @param spec the resolved components
 * @param model the graph, weights loaded
 */
public record CheckpointModel(Path file, Checkpoint checkpoint, ExperimentConfig config, ModelSpec spec,
                              ModelGraph model) {

    /**
     * @param overrides {@code dotted.key=value} changes to the checkpoint's config (data, evaluation settings)
     * @throws DataException naming the file if it is not a readable PoolLab checkpoint, or a weight that does not fit
     */
    public static CheckpointModel load(ComponentRegistry registry, Path file, List<String> overrides) {
        return of(registry, file, read(file), overrides);
    }

    /**
     * The model of a checkpoint already read.
     *
     * @param file where it was read from
     * @throws DataException naming a weight that does not fit
     */
    public static CheckpointModel of(ComponentRegistry registry, Path file, Checkpoint checkpoint,
                                     List<String> overrides) {
        ExperimentConfig config = RunCheckpoints.config(checkpoint, overrides);
        ModelSpec spec = ModelSpec.resolve(registry, config);
        ModelGraph model = ModelGraph.build(spec, DataType.FLOAT, config.seed());
        CheckpointWeights.load(checkpoint, model);
        return new CheckpointModel(file, checkpoint, config, spec, model);
    }

    /**
     * Reads a checkpoint file.
     *
     * @throws DataException naming the file if it is missing or not a readable PoolLab checkpoint
     */
    public static Checkpoint read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException("checkpoint " + file + " does not exist; pass an epoch-NNN.zip written by "
                    + "'poollab run' or 'poollab import'");
        }
        try {
            return Checkpoint.read(file);
        } catch (IOException e) {
            throw new DataException("cannot read checkpoint " + file + " (" + e.getMessage() + "); pass an "
                    + "epoch-NNN.zip written by 'poollab run' or 'poollab import'");
        }
    }

    /**
     * The newest checkpoint of a run.
     *
     * @param run an MLflow run id or its checkpoint folder
     * @throws DataException if the run has none yet
     */
    public static Path newestOf(ProjectPaths paths, String run) throws IOException {
        Path folder = paths.runFolder(run);
        return RunCheckpoints.latest(folder).orElseThrow(() -> new DataException("run " + run + " has no checkpoint "
                + "in " + folder + " yet (one is written at every epoch end)"));
    }
}

package org.poollab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.poollab.config.ExperimentConfig;
import org.poollab.data.DataException;
import org.poollab.data.DataSource;
import org.poollab.eval.Evaluation;
import org.poollab.model.ModelGraph;
import org.poollab.run.ExperimentRunner;
import org.poollab.run.ProjectPaths;
import org.poollab.train.Checkpoint;
import org.poollab.train.CheckpointWeights;
import org.poollab.train.RunCheckpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** {@code poollab attention --run ID | --checkpoint F}: a trained model's attention grid on test images, as PNG. */
@Command(name = "attention", description = "Render test images with the attention maps of a checkpoint's model "
        + "(DINO: the teacher) as a PNG grid with the 60%%-mass region outlined.")
final class AttentionCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Which model: a run's newest checkpoint, or a given checkpoint file. */
    static final class Source {

        @Option(names = "--run", paramLabel = "RUN", description = "an MLflow run id (or its checkpoint folder): its "
                + "newest checkpoint")
        String run;

        @Option(names = "--checkpoint", paramLabel = "FILE",
                description = "a checkpoint, e.g. .poollab/checkpoints/<experiment>/<run id>/epoch-001.zip")
        Path file;
    }

    @Option(names = "--images", description = "test images to show (default: ${DEFAULT-VALUE})")
    int images = 32;

    @Option(names = "--out", paramLabel = "PNG", description = "output file (default: next to the checkpoint)")
    Path out;

    @Option(names = "--debug", description = "print stack traces of errors")
    boolean debug;

    @Override
    public Integer call() throws IOException {
        Path checkpointFile = source.file != null ? source.file : newestCheckpoint(source.run);
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.read(checkpointFile);
        } catch (IOException e) {
            throw new DataException("cannot read checkpoint " + checkpointFile + " (" + e.getMessage() + "); pass an "
                    + "epoch-NNN.zip written by poollab run");
        }
        ExperimentConfig config = RunCheckpoints.config(checkpoint);
        try (Environment environment = new Environment()) {
            ModelGraph model = ModelGraph.build(ExperimentRunner.resolve(environment.registry, config),
                    DataType.FLOAT, config.seed());
            CheckpointWeights.load(checkpoint, model);
            Path png = out != null ? out : checkpointFile.resolveSibling(
                    checkpointFile.getFileName().toString().replaceFirst("\\.zip$", "") + "-attention.png");
            Evaluation evaluation = new Evaluation(config, System.err);
            List<Path> written = evaluation.attentionGrid(model, DataSource.load(config.data(), config.seed(), System.err).test(),
                    images, png);
            if (written.isEmpty()) {
                throw new DataException("pooling '" + config.pooling().id() + "' has no attention map to render");
            }
            written.forEach(file -> System.out.println("written: " + file));
        }
        return 0;
    }

    private static Path newestCheckpoint(String run) throws IOException {
        Path folder = ProjectPaths.fromEnvironment().runFolder(run);
        return RunCheckpoints.latest(folder).orElseThrow(() -> new DataException("run " + run + " has no checkpoint "
                + "in " + folder + " yet (one is written at every epoch end)"));
    }
}

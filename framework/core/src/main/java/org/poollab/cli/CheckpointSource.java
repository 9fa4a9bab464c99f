package org.poollab.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.poollab.run.CheckpointModel;
import org.poollab.run.ProjectPaths;
import picocli.CommandLine.Option;

/** Which model a command works on: a run's newest checkpoint, or a given checkpoint file (exactly one). */
final class CheckpointSource {

    @Option(names = "--run", paramLabel = "RUN", description = "an MLflow run id (or its checkpoint folder): its "
            + "newest checkpoint")
    String run;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "a checkpoint: .poollab/checkpoints/"
            + "<experiment>/<run id>/epoch-NNN.zip, or one written by 'poollab import'")
    Path file;

    /** The checkpoint file. */
    Path file() throws IOException {
        return file != null ? file : CheckpointModel.newestOf(ProjectPaths.fromEnvironment(), run);
    }
}

package org.poollab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.poollab.config.ExperimentConfig;
import org.poollab.data.DataException;
import org.poollab.data.DataSource;
import org.poollab.eval.Evaluation;
import org.poollab.run.CheckpointModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code poollab attention --run ID | --checkpoint F}: a trained model's attention grid on test images, as PNG. */
@Command(name = "attention", description = "Render test images with the attention maps of a checkpoint's model "
        + "(DINO: the teacher) as a PNG grid with the 60%%-mass region outlined.")
final class AttentionCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    CheckpointSource source;

    @Option(names = "--images", description = "test images to show (default: ${DEFAULT-VALUE})")
    int images = 32;

    @Option(names = "--out", paramLabel = "PNG", description = "output file (default: next to the checkpoint)")
    Path out;

    @Option(names = "--debug", description = "print stack traces of errors")
    boolean debug;

    @Override
    public Integer call() throws IOException {
        Path checkpointFile = source.file();
        try (Environment environment = new Environment()) {
            CheckpointModel loaded = CheckpointModel.load(environment.registry, checkpointFile, List.of());
            ExperimentConfig config = loaded.config();
            Path png = out != null ? out : checkpointFile.resolveSibling(
                    checkpointFile.getFileName().toString().replaceFirst("\\.zip$", "") + "-attention.png");
            Evaluation evaluation = new Evaluation(config, System.err);
            List<Path> written = evaluation.attentionGrid(loaded.model(),
                    DataSource.load(config.data(), config.seed(), System.err).test(), images, png);
            if (written.isEmpty()) {
                throw new DataException("pooling '" + config.pooling().id() + "' has no attention map to render");
            }
            written.forEach(file -> System.out.println("written: " + file));
        }
        return 0;
    }
}

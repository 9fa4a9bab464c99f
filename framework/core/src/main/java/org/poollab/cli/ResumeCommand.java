package org.poollab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.poollab.data.DataException;
import org.poollab.run.ExperimentRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code poollab resume <run id | run folder>}: continue a stopped run from its newest checkpoint. */
@Command(name = "resume", description = "Continue a stopped run from its newest epoch checkpoint, under the same "
        + "MLflow run id (the config is read from the checkpoint).")
final class ResumeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "the MLflow run id, or the run's checkpoint folder "
            + "(<POOLLAB_HOME>/checkpoints/<experiment>/<run id>)")
    String run;

    @Option(names = "--debug", description = "print stack traces of errors")
    boolean debug;

    @Override
    public Integer call() throws Exception {
        try (Environment environment = new Environment()) {
            Path folder = runFolder(environment.paths.checkpoints());
            new ExperimentRunner(environment.registry, environment.trainers(), environment.paths, System.out)
                    .resume(folder);
        }
        return 0;
    }

    /** The folder given, or the one named by the run id under any experiment's checkpoints. */
    private Path runFolder(Path checkpoints) throws IOException {
        Path given = Path.of(run);
        if (Files.isDirectory(given)) {
            return given;
        }
        List<Path> matches;
        try (Stream<Path> experiments = Files.isDirectory(checkpoints) ? Files.list(checkpoints) : Stream.empty()) {
            matches = experiments.map(experiment -> experiment.resolve(run)).filter(Files::isDirectory).toList();
        }
        if (matches.size() != 1) {
            throw new DataException("no run folder " + run + " under " + checkpoints + (matches.isEmpty() ? ""
                    : " (found " + matches.size() + ")") + ": give the run id printed as 'MLflow run: .../runs/<id>' "
                    + "or the folder itself, and set POOLLAB_HOME if the run used another one");
        }
        return matches.get(0);
    }
}

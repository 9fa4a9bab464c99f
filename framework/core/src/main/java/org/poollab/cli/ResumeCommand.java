package org.poollab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
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
        return resume(run);
    }

    /** Resumes a run (also {@code poollab run --resume RUN}); returns the exit code. */
    static int resume(String run) throws Exception {
        try (Environment environment = new Environment()) {
            Path folder = environment.paths.runFolder(run);
            new ExperimentRunner(environment.registry, environment.trainers(), environment.paths, System.out)
                    .resume(folder);
        }
        return 0;
    }
}

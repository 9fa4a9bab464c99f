package org.poollab.cli;

import java.util.concurrent.Callable;
import org.poollab.config.ExperimentLoader;
import org.poollab.config.ExperimentPlan;
import org.poollab.run.ExperimentRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code poollab run x.yaml [--set a.b=v]}, or {@code poollab run --resume <run id>}. */
@Command(name = "run", description = "Run an experiment (or each run of its sweep) and log it to MLflow.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ExperimentOptions options;

    @Option(names = "--resume", paramLabel = "RUN", description = "continue a stopped run (MLflow run id or its "
            + "checkpoint folder) from its newest checkpoint instead; the same as 'poollab resume RUN'")
    String resume;

    @Override
    public Integer call() throws Exception {
        if (resume != null) {
            return ResumeCommand.resume(resume);
        }
        ExperimentPlan plan = ExperimentLoader.plan(options.file(), options.overrides);
        try (Environment environment = new Environment()) {
            new ExperimentRunner(environment.registry, environment.trainers(), environment.paths, System.out)
                    .run(plan, options.file());
        }
        return 0;
    }
}

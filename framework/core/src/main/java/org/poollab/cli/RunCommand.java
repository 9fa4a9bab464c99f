package org.poollab.cli;

import java.util.concurrent.Callable;
import org.poollab.config.ExperimentLoader;
import org.poollab.config.ExperimentPlan;
import org.poollab.run.ExperimentRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code poollab run x.yaml [--set a.b=v]}. */
@Command(name = "run", description = "Run an experiment (or each run of its sweep) and log it to MLflow.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ExperimentOptions options;

    @Override
    public Integer call() throws Exception {
        ExperimentPlan plan = ExperimentLoader.plan(options.file, options.overrides);
        try (Environment environment = new Environment()) {
            new ExperimentRunner(environment.registry, environment.trainers(), environment.paths, System.out)
                    .run(plan, options.file);
        }
        return 0;
    }
}

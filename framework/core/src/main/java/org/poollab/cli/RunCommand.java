package org.poollab.cli;

import java.util.concurrent.Callable;
import org.poollab.api.graph.Layers;
import org.poollab.config.ExperimentConfig;
import org.poollab.config.ExperimentLoader;
import org.poollab.run.ExperimentRunner;
import org.poollab.train.SupervisedTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code poollab run x.yaml [--set a.b=v]}. */
@Command(name = "run", description = "Run an experiment and log it to MLflow.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ExperimentOptions options;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig config = ExperimentLoader.load(options.file, options.overrides);
        try (Environment environment = new Environment()) {
            SupervisedTrainer trainer = new SupervisedTrainer(environment.injector.getInstance(Layers.class),
                    System.err);
            new ExperimentRunner(environment.registry, trainer, environment.paths, System.out)
                    .run(config, options.file);
        }
        return 0;
    }
}

package org.poollab.cli;

import java.util.concurrent.Callable;
import org.poollab.config.ExperimentConfig;
import org.poollab.config.ExperimentLoader;
import org.poollab.model.ModelSpec;
import org.poollab.run.ExperimentRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code poollab validate x.yaml}: checks the file and its plugin parameters, prints the resolved config. */
@Command(name = "validate", description = "Check an experiment file and print its resolved values.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    ExperimentOptions options;

    @Override
    public Integer call() {
        ExperimentConfig config = ExperimentLoader.load(options.file, options.overrides);
        try (Environment environment = new Environment()) {
            ModelSpec spec = new ExperimentRunner(environment.registry, null, environment.paths, System.out)
                    .validate(config);
            config.flattened().forEach((k, v) -> System.out.println(k + " = " + v));
            spec.flattenedParams().forEach((k, v) -> System.out.println(k + " = " + v));
            System.out.println(options.file + " is valid.");
        }
        return 0;
    }
}

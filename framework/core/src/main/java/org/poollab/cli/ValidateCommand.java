package org.poollab.cli;

import java.util.concurrent.Callable;
import org.poollab.config.ExperimentLoader;
import org.poollab.config.ExperimentPlan;
import org.poollab.config.SweepPoint;
import org.poollab.model.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code poollab validate x.yaml}: checks the file and its plugin parameters, prints the resolved config. */
@Command(name = "validate", description = "Check an experiment file (every run of a sweep) and print its resolved "
        + "values.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    ExperimentOptions options;

    @Override
    public Integer call() {
        ExperimentPlan plan = ExperimentLoader.plan(options.file(), options.overrides);
        try (Environment environment = new Environment()) {
            for (SweepPoint point : plan.points()) {
                ModelSpec spec = ModelSpec.resolve(environment.registry, point.config());
                if (plan.isSweep()) {
                    System.out.println("# sweep run " + point.label());
                }
                point.config().flattened().forEach((k, v) -> System.out.println(k + " = " + v));
                spec.flattenedParams().forEach((k, v) -> System.out.println(k + " = " + v));
            }
            System.out.println(options.file() + " is valid" + (plan.isSweep() ? " (" + plan.points().size()
                    + " sweep runs)." : "."));
        }
        return 0;
    }
}

package org.poollab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.poollab.config.ConfigException;
import org.poollab.config.ExperimentLoader;
import org.poollab.config.ExperimentPlan;
import org.poollab.run.ExperimentRunner;
import org.poollab.run.ParallelSweep;
import org.poollab.run.ProjectPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code poollab run x.yaml [--set a.b=v] [--workers N]}, or {@code poollab run --resume <run id>}. */
@Command(name = "run", description = "Run an experiment (or each run of its sweep) and log it to MLflow.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ExperimentOptions options;

    @Option(names = "--resume", paramLabel = "RUN", description = "continue a stopped run (MLflow run id or its "
            + "checkpoint folder) from its newest checkpoint instead; the same as 'poollab resume RUN'")
    String resume;

    @Option(names = "--workers", paramLabel = "N", description = "run a sweep's points N at a time, each in its own "
            + "JVM with cores/N threads (default 1: one after another in this JVM)")
    int workers = 1;

    @Option(names = ParallelSweep.POINT_OPTION, hidden = true)
    Integer sweepPoint;

    @Option(names = ParallelSweep.PARENT_OPTION, hidden = true)
    String sweepParent;

    @Override
    public Integer call() throws Exception {
        if (resume != null) {
            return ResumeCommand.resume(resume, workers, options.debug);
        }
        ExperimentPlan plan = ExperimentLoader.plan(options.file(), options.overrides);
        ParallelSweep parallel = new ParallelSweep(workers, PoolLab.class.getName(),
                runArguments(options.file(), options.overrides, options.debug), ProjectPaths.fromEnvironment().logs(),
                System.out);
        try (Environment environment = new Environment()) {
            ExperimentRunner runner = new ExperimentRunner(environment.registry, environment.trainers(),
                    environment.paths, System.out);
            if (sweepPoint != null) {
                if (sweepParent == null) {
                    throw new ConfigException(ParallelSweep.PARENT_OPTION, "a sweep point needs its parent run");
                }
                runner.runSweepPoint(plan, options.file(), sweepPoint, sweepParent);
            } else {
                runner.run(plan, options.file(), parallel.isParallel() ? Optional.of(parallel) : Optional.empty());
            }
        }
        return 0;
    }

    /** This command without --workers: what each JVM of a parallel sweep runs (plus its point). */
    static List<String> runArguments(Path file, List<String> overrides, boolean debug) {
        List<String> arguments = new ArrayList<>(List.of("run", file.toString()));
        overrides.forEach(override -> arguments.addAll(List.of("--set", override)));
        if (debug) {
            arguments.add("--debug");
        }
        return arguments;
    }
}

package org.poollab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.poollab.config.ConfigException;
import org.poollab.config.ExperimentLoader;
import org.poollab.config.ExperimentPlan;
import org.poollab.run.ParallelSweep;
import org.poollab.run.ProjectPaths;
import org.poollab.run.RunLauncher;
import org.poollab.run.SweepRunner;
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

    @Option(names = ResumeCommand.ACCEPT_PLUGIN_CHANGE, description = "with --resume: continue even if the plugin "
            + "jars differ from those the run was trained with")
    boolean acceptPluginChange;

    @Option(names = ParallelSweep.POINT_OPTION, hidden = true)
    Integer sweepPoint;

    @Option(names = ParallelSweep.PARENT_OPTION, hidden = true)
    String sweepParent;

    @Override
    public Integer call() throws Exception {
        if (resume != null) {
            return ResumeCommand.resume(resume, workers, acceptPluginChange, options.debug);
        }
        ExperimentPlan plan = ExperimentLoader.plan(options.file(), options.overrides);
        ParallelSweep parallel = new ParallelSweep(workers, PoolLab.class.getName(),
                runArguments(options.file(), options.overrides, acceptPluginChange, options.debug),
                ProjectPaths.fromEnvironment().logs(), System.out);
        try (Environment environment = new Environment()) {
            RunLauncher launcher = environment.launcher(acceptPluginChange);
            SweepRunner sweeps = new SweepRunner(launcher, environment.paths, System.out);
            if (sweepPoint != null) {
                if (sweepParent == null) {
                    throw new ConfigException(ParallelSweep.PARENT_OPTION, "a sweep point needs its parent run");
                }
                sweeps.runPoint(plan, options.file(), sweepPoint, sweepParent);
            } else if (plan.isSweep()) {
                sweeps.run(plan, options.file(), parallel.isParallel() ? Optional.of(parallel) : Optional.empty());
            } else {
                launcher.run(plan, options.file());
            }
        }
        return 0;
    }

    /** This command without --workers: what each JVM of a parallel sweep runs (plus its point). */
    static List<String> runArguments(Path file, List<String> overrides, boolean acceptPluginChange, boolean debug) {
        List<String> arguments = new ArrayList<>(List.of("run", file.toString()));
        overrides.forEach(override -> arguments.addAll(List.of("--set", override)));
        if (acceptPluginChange) {
            arguments.add(ResumeCommand.ACCEPT_PLUGIN_CHANGE);
        }
        if (debug) {
            arguments.add("--debug");
        }
        return arguments;
    }
}

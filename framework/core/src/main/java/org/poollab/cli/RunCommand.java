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
import org.poollab.run.SlurmSweep;
import org.poollab.run.SweepRunner;
import org.poollab.slurm.Slurm;
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

    @Option(names = "--executor", paramLabel = "local|slurm", description = "where a sweep's points run: local (this "
            + "machine, default) or slurm (one job array, a task per point, resources from executor.slurm)")
    String executor = "local";

    @Option(names = "--slurm", paramLabel = "OPTIONS", description = "with --executor slurm: more sbatch options, "
            + "e.g. \"--qos=long --account=lab\"")
    String slurmOptions = "";

    @Option(names = SlurmSweep.SETTLE_OPTION, hidden = true)
    boolean settleParent;

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
                sweeps.runPoint(plan, options.file(), sweepPoint, sweepParent, settleParent);
            } else if (onSlurm(plan)) {
                sweeps.submit(plan, options.file(), new SlurmSweep(new Slurm(), PoolLab.class.getName(),
                        runArguments(options.file(), options.overrides, acceptPluginChange, options.debug),
                        words(slurmOptions), System.out));
            } else if (plan.isSweep()) {
                sweeps.run(plan, options.file(), parallel.isParallel() ? Optional.of(parallel) : Optional.empty());
            } else {
                launcher.run(plan, options.file());
            }
        }
        return 0;
    }

    /** The words of a {@code --slurm "..."} option, split at white space. */
    static List<String> words(String options) {
        return options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
    }

    /**
     * Whether the points go to Slurm.
     *
     * @throws ConfigException for an unknown executor, or Slurm asked of a file that is not a sweep
     */
    private boolean onSlurm(ExperimentPlan plan) {
        switch (executor) {
            case "local":
                return false;
            case "slurm":
                if (!plan.isSweep()) {
                    throw new ConfigException("--executor", "slurm runs the points of a sweep as one job array, and "
                            + options.file() + " has no sweep section; submit a single run with: sbatch --wrap "
                            + "'./poollab run " + options.file() + "'");
                }
                return true;
            default:
                throw new ConfigException("--executor", "is '" + executor + "' but must be local or slurm");
        }
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

package org.poollab.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.poollab.config.ConfigException;
import org.poollab.config.ExperimentLoader;
import org.poollab.config.ExperimentPlan;
import org.poollab.run.ParallelSweep;
import org.poollab.run.RunLauncher;
import org.poollab.run.SlurmSweep;
import org.poollab.run.SweepRecord;
import org.poollab.run.SweepRunner;
import org.poollab.slurm.Slurm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code poollab resume <run id | run folder | sweep id>}: continue a stopped run or sweep. */
@Command(name = "resume", description = "Continue a stopped run from its newest checkpoint, under the same "
        + "MLflow run id (the config is read from the checkpoint); or a stopped sweep, under its parent run.")
final class ResumeCommand implements Callable<Integer> {

    /** The option that lets a resume continue with other plugin jars than the run was trained with. */
    static final String ACCEPT_PLUGIN_CHANGE = "--accept-plugin-change";

    @Parameters(index = "0", paramLabel = "RUN", description = "the MLflow run id, the run's checkpoint folder "
            + "(<POOLLAB_HOME>/checkpoints/<experiment>/<run id>), or a sweep's parent run id")
    String run;

    @Option(names = "--workers", paramLabel = "N", description = "for a sweep: run its remaining points N at a "
            + "time, each in its own JVM (default 1)")
    int workers = 1;

    @Option(names = ACCEPT_PLUGIN_CHANGE, description = "continue even if the plugin jars differ (another version, "
            + "or the same one rebuilt) from those the run was trained with; the run is tagged plugin.changed")
    boolean acceptPluginChange;

    @Option(names = "--executor", paramLabel = "local|slurm", description = "for a sweep: continue it on this machine"
            + " (default) or resubmit its unfinished points to Slurm as a new job array")
    String executor = "local";

    @Option(names = "--slurm", paramLabel = "OPTIONS", description = "with --executor slurm: more sbatch options")
    String slurmOptions = "";

    @Option(names = "--debug", description = "print stack traces of errors")
    boolean debug;

    @Override
    public Integer call() throws Exception {
        if (executor.equals("slurm")) {
            return resubmit();
        }
        if (!executor.equals("local")) {
            throw new ConfigException("--executor", "is '" + executor + "' but must be local or slurm");
        }
        return resume(run, workers, acceptPluginChange, debug);
    }

    /** Resubmits a Slurm sweep's unfinished points. */
    private int resubmit() throws Exception {
        try (Environment environment = new Environment()) {
            SweepRecord sweep = SweepRecord.find(environment.paths.sweeps(), run).orElseThrow(() ->
                    new ConfigException("--executor", "slurm resubmits the points of a sweep, and " + run + " is not "
                            + "a sweep's parent run id (a single run resumes with: ./poollab resume " + run + ")"));
            ExperimentPlan plan = ExperimentLoader.plan(sweep.experimentFile(), sweep.overrides());
            new SweepRunner(environment.launcher(acceptPluginChange), environment.paths, System.out).resubmit(run,
                    plan, new SlurmSweep(new Slurm(), PoolLab.class.getName(), RunCommand.runArguments(
                            sweep.experimentFile(), plan.overrides(), acceptPluginChange, debug),
                            RunCommand.words(slurmOptions), System.out));
        }
        return 0;
    }

    /** Resumes a run or a sweep (also {@code poollab run --resume RUN}); returns the exit code. */
    static int resume(String run, int workers, boolean acceptPluginChange, boolean debug) throws Exception {
        try (Environment environment = new Environment()) {
            RunLauncher launcher = environment.launcher(acceptPluginChange);
            Optional<SweepRecord> sweep = SweepRecord.find(environment.paths.sweeps(), run);
            if (sweep.isEmpty()) {
                launcher.resume(environment.paths.runFolder(run));
                return 0;
            }
            Path file = sweep.get().experimentFile();
            ExperimentPlan plan = ExperimentLoader.plan(file, sweep.get().overrides());
            ParallelSweep parallel = new ParallelSweep(workers, PoolLab.class.getName(),
                    RunCommand.runArguments(file, plan.overrides(), acceptPluginChange, debug),
                    environment.paths.logs(), System.out);
            new SweepRunner(launcher, environment.paths, System.out).resume(run, plan, file,
                    parallel.isParallel() ? Optional.of(parallel) : Optional.empty());
        }
        return 0;
    }
}

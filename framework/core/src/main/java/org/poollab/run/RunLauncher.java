package org.poollab.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.poollab.bench.PeakMemory;
import org.poollab.config.ExperimentConfig;
import org.poollab.config.ExperimentPlan;
import org.poollab.config.SweepPoint;
import org.poollab.config.TrainerKind;
import org.poollab.data.DataException;
import org.poollab.data.DataSource;
import org.poollab.model.ModelSpec;
import org.poollab.plugin.ComponentRegistry;
import org.poollab.plugin.PluginProvenance;
import org.poollab.tracking.MlflowRun;
import org.poollab.train.Checkpoint;
import org.poollab.train.RunCheckpoints;
import org.poollab.train.Trainer;
import org.poollab.train.TrainingRun;
import org.poollab.train.TrainingStoppedException;

/**
 * Launches single runs end to end: plugins → model → data → training → evaluation → MLflow, either as a new MLflow
 * run or by resuming a stopped one from its newest checkpoint. {@link SweepRunner} launches a sweep's points here.
 */
public final class RunLauncher {

    /** Metric: the run's peak resident memory in GB (10^9 bytes), logged at its end. */
    public static final String PEAK_MEMORY = "peak_rss_gb";

    private final ComponentRegistry registry;
    private final Map<TrainerKind, Trainer> trainers = new EnumMap<>(TrainerKind.class);
    private final ProjectPaths paths;
    private final boolean acceptPluginChange;
    private final PrintStream out;

    /**
     * @param registry the loaded plugins
     * @param trainers one trainer of each kind
     * @param paths project folders
     * @param acceptPluginChange whether a resume may continue with other plugin jars than the run started with
     * @param out where results are printed (stdout)
     */
    public RunLauncher(ComponentRegistry registry, List<Trainer> trainers, ProjectPaths paths,
                       boolean acceptPluginChange, PrintStream out) {
        this.registry = registry;
        trainers.forEach(trainer -> this.trainers.put(trainer.kind(), trainer));
        this.paths = paths;
        this.acceptPluginChange = acceptPluginChange;
        this.out = out;
    }

    /**
     * Runs an experiment that is not a sweep and prints its final metrics one per line and its MLflow URL.
     *
     * @return the final metrics
     */
    public Map<String, Double> run(ExperimentPlan plan, Path experimentFile) throws InterruptedException {
        return start(plan, 0, experimentFile, prepare(plan), Map.of());
    }

    /**
     * Checks every point's components before anything starts, says which MLflow server the runs go to, and marks
     * runs that a SIGKILL left RUNNING as KILLED.
     *
     * @return the tracking URI
     */
    String prepare(ExperimentPlan plan) {
        for (SweepPoint point : plan.points()) {
            ModelSpec.resolve(registry, point.config()); // fail fast on any point's bad plugin parameters
        }
        String uri = paths.trackingUri(plan.points().get(0).config().tracking());
        out.println("MLflow: " + uri);
        RunRecord.settleAll(paths.checkpoints(), out);
        return uri;
    }

    /**
     * Starts one point of a plan as a new MLflow run and trains it.
     *
     * @param index the point, 0-based
     * @param startTags tags the run starts with (a sweep's parent and point)
     * @return the final metrics
     */
    Map<String, Double> start(ExperimentPlan plan, int index, Path experimentFile, String uri,
                              Map<String, String> startTags) throws InterruptedException {
        SweepPoint point = plan.points().get(index);
        ExperimentConfig config = point.config();
        ModelSpec spec = ModelSpec.resolve(registry, config);
        PluginProvenance plugins = PluginProvenance.of(registry, config);
        String name = runName(config) + (point.label().isEmpty() ? "" : " [" + point.label() + "]");
        try (MlflowRun run = MlflowRun.start(uri, config.experiment(), name, startTags, paths.journal())) {
            RunProvenance.logStart(run, config, spec, plugins, experimentFile);
            Path checkpoints = paths.checkpoints().resolve(PathSegment.of(config.experiment())).resolve(run.runId());
            RunRecord.write(checkpoints, uri, experimentFile);
            return train(config, run, checkpoints, data -> new TrainingRun(spec, plugins, data, config, plan.text(),
                    checkpoints, run, Optional.empty()));
        }
    }

    /**
     * Continues a run that stopped (crash, kill, power loss) from the newest checkpoint in its folder, under the
     * same MLflow run id. The config and the plugins' resolved parameters come from the checkpoint, so neither the
     * experiment file nor today's plugin defaults matter; plugin jars other than the recorded ones are refused
     * unless accepted.
     *
     * @param runFolder {@code <POOLLAB_HOME>/checkpoints/<experiment>/<run id>}
     * @return the final metrics
     * @throws DataException if the folder has no checkpoint or it cannot be read
     * @throws org.poollab.plugin.PluginLoadException if the plugin jars changed and that is not accepted
     */
    public Map<String, Double> resume(Path runFolder) throws InterruptedException {
        Optional<RunRecord> record = RunRecord.read(runFolder);
        if (record.isPresent() && record.get().processAlive()) {
            throw new DataException("run " + runFolder.getFileName() + " is still running (its process is alive); "
                    + "wait for it, or stop it first");
        }
        String experimentFile = record.map(RunRecord::experimentFile).orElse("<experiment file>");
        RunCheckpoints.Loaded loaded;
        try {
            loaded = RunCheckpoints.newestIntact(runFolder, out).orElseThrow(() -> {
                record.ifPresent(stopped -> stopped.settleIfDead(out));
                return new DataException("run " + runFolder.getFileName() + " stopped before its first checkpoint "
                        + "(the end of epoch 1), so there is nothing to resume; start it again with: ./poollab run "
                        + experimentFile);
            });
        } catch (IOException e) {
            throw new DataException("cannot read the checkpoints in " + runFolder + " (" + e.getMessage() + ")");
        }
        Checkpoint checkpoint = loaded.checkpoint();
        ExperimentConfig config = RunCheckpoints.config(checkpoint);
        ModelSpec spec = ModelSpec.resolve(registry, config);
        PluginProvenance plugins = PluginProvenance.of(registry, config);
        String runId = runFolder.getFileName().toString();
        List<String> changes = RunProvenance.pluginChanges(RunCheckpoints.plugins(checkpoint), plugins,
                acceptPluginChange, runId);
        String uri = paths.trackingUri(config.tracking());
        out.println("MLflow: " + uri);
        out.printf(Locale.ROOT, "resuming from %s (%d of %d epochs done)%n", loaded.file(),
                RunCheckpoints.epochsDone(checkpoint), config.trainer().epochs());
        try (MlflowRun run = MlflowRun.resume(uri, runId, paths.journal())) {
            RunProvenance.tagAcceptedChanges(run, plugins, changes, out);
            RunRecord.write(runFolder, uri, Path.of(experimentFile));
            String configText = checkpoint.text(RunCheckpoints.EXPERIMENT_FILE).orElse("");
            return train(config, run, runFolder, data -> new TrainingRun(spec, plugins, data, config, configText,
                    runFolder, run, Optional.of(checkpoint)));
        }
    }

    /**
     * Loads the data, trains, logs the peak memory and ends the MLflow run as finished or failed.
     *
     * @param training the run to train, given its data
     */
    private Map<String, Double> train(ExperimentConfig config, MlflowRun run, Path checkpoints,
                                      Function<DataSource, TrainingRun> training) throws InterruptedException {
        Trainer trainer = trainers.get(config.trainer().kind());
        try {
            // Inside the try: a data error (a missing folder, an unreadable split) fails the run in MLflow too.
            DataSource data = DataSource.load(config.data(), config.seed(), System.err);
            Map<String, Double> metrics = new LinkedHashMap<>(trainer.train(training.apply(data)));
            long peak = PeakMemory.residentBytes(); // counts ND4J's native buffers, unlike the JVM's own figures
            if (peak > 0) {
                metrics.put(PEAK_MEMORY, peak / 1e9);
                run.logMetrics(config.trainer().epochs(), Map.of(PEAK_MEMORY, peak / 1e9));
            }
            run.finish();
            RunRecord.ended(checkpoints);
            metrics.forEach((k, v) -> out.printf(Locale.ROOT, "%s = %.2f%n", k, v));
            out.println("MLflow run: " + run.url());
            return metrics;
        } catch (TrainingStoppedException e) { // the process is ending; its checkpoint is written
            run.killed(e.getMessage());
            RunRecord.ended(checkpoints);
            throw e;
        } catch (RuntimeException | InterruptedException e) {
            run.fail(String.valueOf(e.getMessage()));
            RunRecord.ended(checkpoints);
            out.println("MLflow run (FAILED): " + run.url());
            throw e;
        } catch (OutOfMemoryError e) { // an Error: the sweep's other points and the CLI's report need an exception
            MemoryLimitException limit = new MemoryLimitException(e);
            run.fail(limit.getMessage());
            RunRecord.ended(checkpoints);
            out.println("MLflow run (FAILED): " + run.url());
            throw limit;
        }
    }

    /** The run's MLflow name: {@code tracking.runName}, or {@code <pooling>-<backbone>-<trainer>-s<seed>}. */
    static String runName(ExperimentConfig config) {
        return config.tracking().runName() != null ? config.tracking().runName()
                : config.pooling().id() + "-" + config.backbone().id() + "-" + config.trainer().id() + "-s"
                + config.seed();
    }
}

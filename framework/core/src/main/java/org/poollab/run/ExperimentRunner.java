package org.poollab.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service.RunStatus;
import org.poollab.bench.PeakMemory;
import org.poollab.config.ConfigException;
import org.poollab.config.ExperimentConfig;
import org.poollab.config.ExperimentPlan;
import org.poollab.config.SweepPoint;
import org.poollab.data.DataException;
import org.poollab.data.DataSource;
import org.poollab.model.ModelSpec;
import org.poollab.plugin.ComponentRegistry;
import org.poollab.tracking.MlflowRun;
import org.poollab.tracking.SweepChildren;
import org.poollab.train.Checkpoint;
import org.poollab.train.RunCheckpoints;
import org.poollab.train.Trainer;
import org.poollab.train.TrainingRun;

/**
 * Runs an experiment file end to end: plugins → model → data → training → k-NN → MLflow. A sweep runs its points
 * as child runs of one parent run, one after another or in parallel JVMs ({@link ParallelSweep}); a failed point
 * is recorded and the others still run.
 */
public final class ExperimentRunner {

    /** Metric: the run's peak resident memory in GB (10^9 bytes), logged at its end. */
    public static final String PEAK_MEMORY = "peak_rss_gb";

    private final ComponentRegistry registry;
    private final Map<String, Trainer> trainers;
    private final ProjectPaths paths;
    private final PrintStream out;

    /**
     * @param registry the loaded plugins
     * @param trainers the trainers by id
     * @param paths project folders
     * @param out where results are printed (stdout)
     */
    public ExperimentRunner(ComponentRegistry registry, List<Trainer> trainers, ProjectPaths paths,
                            PrintStream out) {
        this.registry = registry;
        this.trainers = new LinkedHashMap<>();
        trainers.forEach(trainer -> this.trainers.put(trainer.id(), trainer));
        this.paths = paths;
        this.out = out;
    }

    /** Resolves the components of a config without running anything ({@code poollab validate}). */
    public static ModelSpec resolve(ComponentRegistry registry, ExperimentConfig config) {
        return ModelSpec.resolve(registry, config.backbone(), config.pooling(),
                DataSource.inputShape(config.data()));
    }

    /**
     * Runs every point of the plan, one after another in this JVM, and prints each run's final metrics one per line
     * and its MLflow URL.
     *
     * @return the final metrics of the last run
     * @throws SweepFailedException if some points of a sweep failed (the others finished)
     */
    public Map<String, Double> run(ExperimentPlan plan, Path experimentFile) throws InterruptedException {
        return run(plan, experimentFile, Optional.empty());
    }

    /**
     * Runs every point of the plan; a sweep's points in parallel JVMs if {@code parallel} is given. A sweep keeps
     * its file and overrides under {@link ProjectPaths#sweeps()} so that {@link #resumeSweep} can continue it.
     *
     * @return the final metrics of the last run (empty for a parallel sweep: each JVM prints its own)
     * @throws SweepFailedException if some points of a sweep failed (the others finished)
     */
    public Map<String, Double> run(ExperimentPlan plan, Path experimentFile, Optional<ParallelSweep> parallel)
            throws InterruptedException {
        String uri = prepare(plan, parallel);
        if (!plan.isSweep()) {
            return runPoint(plan, 0, experimentFile, uri, null);
        }
        ExperimentConfig first = plan.points().get(0).config();
        String sweepName = experimentFile.getFileName().toString().replaceFirst("\\.ya?ml$", "") + "-sweep";
        try (MlflowRun parent = MlflowRun.start(uri, first.experiment(), sweepName, Map.of(), paths.journal())) {
            SweepRecord.save(paths.sweeps(), parent.runId(), experimentFile, plan);
            Map<String, String> params = new LinkedHashMap<>();
            plan.grid().forEach((key, values) -> params.put("sweep." + key, values.toString()));
            parent.logParams(params);
            parent.setTags(Map.of("git.commit", GitCommit.current(), "sweep.runs", "" + plan.points().size()));
            parent.logArtifact(experimentFile, "config/" + experimentFile.getFileName());
            return runPoints(plan, experimentFile, uri, parent, parallel);
        }
    }

    /**
     * Continues a stopped sweep under the same parent run: points that finished are kept, a point whose run
     * stopped after an epoch checkpoint continues from it, the others start.
     *
     * @param plan the sweep as {@link SweepRecord} kept it
     * @return the final metrics of the last run (empty for a parallel sweep)
     * @throws SweepFailedException if some points failed (the others finished)
     */
    public Map<String, Double> resumeSweep(String parentRunId, ExperimentPlan plan, Path experimentFile,
                                           Optional<ParallelSweep> parallel) throws InterruptedException {
        String uri = prepare(plan, parallel);
        try (MlflowRun parent = MlflowRun.resume(uri, parentRunId, paths.journal())) {
            out.println("continuing sweep " + parentRunId + " (" + plan.points().size() + " runs)");
            return runPoints(plan, experimentFile, uri, parent, parallel);
        }
    }

    /** Checks every point's components and the memory of a parallel sweep; returns the tracking URI. */
    private String prepare(ExperimentPlan plan, Optional<ParallelSweep> parallel) {
        for (SweepPoint point : plan.points()) {
            resolve(registry, point.config()); // fail fast on any point's bad plugin parameters
        }
        parallel.ifPresent(sweep -> sweep.checkMemory(plan));
        String uri = paths.trackingUri(plan.points().get(0).config().tracking());
        out.println("MLflow: " + uri);
        RunRecord.settleAll(paths.checkpoints(), out); // runs a SIGKILL left RUNNING are marked KILLED
        return uri;
    }

    private Map<String, Double> runPoints(ExperimentPlan plan, Path experimentFile, String uri, MlflowRun parent,
                                          Optional<ParallelSweep> parallel) throws InterruptedException {
        parent.setStopHint("'./poollab resume " + parent.runId() + "' continues the sweep: finished runs are kept, "
                + "a stopped run continues from its newest epoch checkpoint, the others start.");
        Map<String, Double> last = Map.of();
        List<String> failures = new ArrayList<>();
        if (parallel.isPresent()) {
            failures.addAll(parallel.get().run(plan, uri, parent.runId()));
        } else {
            for (int i = 0; i < plan.points().size(); i++) {
                SweepPoint point = plan.points().get(i);
                out.printf(Locale.ROOT, "== sweep run %d/%d: %s%n", i + 1, plan.points().size(), point.label());
                try {
                    last = runPoint(plan, i, experimentFile, uri, parent.runId());
                } catch (RuntimeException e) {
                    failures.add(point.label() + ": " + e.getMessage());
                    out.println("== sweep run " + point.label() + " FAILED: " + e.getMessage());
                }
            }
        }
        if (!failures.isEmpty()) {
            parent.fail(String.join("\n", failures));
            throw new SweepFailedException(failures, plan.points().size(), parent.url());
        }
        parent.finish();
        out.println("MLflow sweep: " + parent.url());
        return last;
    }

    /**
     * Runs one point of a sweep as a child of an existing parent run (the JVMs of a {@link ParallelSweep}).
     *
     * @param index the point, 0-based
     * @param parentRunId the sweep's MLflow parent run
     * @return the point's final metrics
     * @throws ConfigException if the plan has no such point
     */
    public Map<String, Double> runSweepPoint(ExperimentPlan plan, Path experimentFile, int index,
                                             String parentRunId) throws InterruptedException {
        if (index < 0 || index >= plan.points().size()) {
            throw new ConfigException(ParallelSweep.POINT_OPTION, "the sweep has points 0 to "
                    + (plan.points().size() - 1) + ", not " + index);
        }
        resolve(registry, plan.points().get(index).config());
        return runPoint(plan, index, experimentFile, paths.trackingUri(plan.points().get(index).config().tracking()),
                parentRunId);
    }

    /** Runs a point; a sweep's point that ran before the sweep was stopped is kept or continued instead. */
    private Map<String, Double> runPoint(ExperimentPlan plan, int index, Path experimentFile, String uri,
                                         String parentRunId) throws InterruptedException {
        SweepPoint point = plan.points().get(index);
        ExperimentConfig config = point.config();
        Map<String, String> startTags = new LinkedHashMap<>();
        if (parentRunId != null) {
            Optional<Map<String, Double>> earlier = continueEarlier(point, index, uri, parentRunId);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            startTags.put(MlflowRun.PARENT_TAG, parentRunId);
            startTags.put(SweepChildren.POINT_TAG, Integer.toString(index));
        }
        ModelSpec spec = resolve(registry, config);
        String name = runName(config) + (point.label().isEmpty() ? "" : " [" + point.label() + "]");
        try (MlflowRun run = MlflowRun.start(uri, config.experiment(), name, startTags, paths.journal())) {
            Map<String, String> params = new LinkedHashMap<>(config.flattened());
            params.putAll(spec.flattenedParams());
            run.logParams(params);
            run.setTags(RunTags.of(registry, config));
            run.logArtifact(experimentFile, "config/" + experimentFile.getFileName());
            Path checkpoints = paths.checkpoints().resolve(PathSegment.of(config.experiment())).resolve(run.runId());
            RunRecord.write(checkpoints, uri, experimentFile);
            return train(config, spec, plan.text(), checkpoints, run, Optional.empty());
        }
    }

    /**
     * The point's earlier run under this sweep, if any: finished (kept: empty metrics), or stopped after an epoch
     * checkpoint (continued). Empty when the point has to start: no earlier run, or none with a checkpoint.
     */
    private Optional<Map<String, Double>> continueEarlier(SweepPoint point, int index, String uri,
                                                          String parentRunId) throws InterruptedException {
        SweepChildren.Child earlier = SweepChildren.of(uri, parentRunId).get(index);
        if (earlier == null) {
            return Optional.empty();
        }
        if (earlier.status() == RunStatus.FINISHED) {
            out.println("== " + point.label() + ": finished before, in MLflow run " + earlier.runId() + "; kept");
            return Optional.of(Map.of());
        }
        Path folder = paths.checkpoints().resolve(PathSegment.of(point.config().experiment())).resolve(earlier.runId());
        try {
            if (RunCheckpoints.latest(folder).isEmpty()) {
                out.println("== " + point.label() + ": run " + earlier.runId() + " (" + earlier.status()
                        + ") stopped before its first checkpoint; starting the point again");
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new DataException("cannot read the checkpoints in " + folder + " (" + e.getMessage() + ")");
        }
        return Optional.of(resume(folder));
    }

    /**
     * Continues a run that stopped (crash, kill, power loss) from the newest checkpoint in its folder, under the
     * same MLflow run id; the config comes from the checkpoint, so the experiment file is not needed.
     *
     * @param runFolder {@code <POOLLAB_HOME>/checkpoints/<experiment>/<run id>}
     * @return the final metrics
     * @throws DataException if the folder has no checkpoint or it cannot be read
     */
    public Map<String, Double> resume(Path runFolder) throws InterruptedException {
        Optional<RunRecord> record = RunRecord.read(runFolder);
        if (record.isPresent() && record.get().processAlive()) {
            throw new DataException("run " + runFolder.getFileName() + " is still running (its process is alive); "
                    + "wait for it, or stop it first");
        }
        String experimentFile = record.map(RunRecord::experimentFile).orElse("<experiment file>");
        Path file;
        Checkpoint checkpoint;
        try {
            RunCheckpoints.Loaded loaded = RunCheckpoints.newestIntact(runFolder, out).orElseThrow(() -> {
                record.ifPresent(stopped -> stopped.settleIfDead(out));
                return new DataException("run " + runFolder.getFileName() + " stopped before its first checkpoint "
                        + "(the end of epoch 1), so there is nothing to resume; start it again with: ./poollab run "
                        + experimentFile);
            });
            file = loaded.file();
            checkpoint = loaded.checkpoint();
        } catch (IOException e) {
            throw new DataException("cannot read the checkpoints in " + runFolder + " (" + e.getMessage() + ")");
        }
        ExperimentConfig config = RunCheckpoints.config(checkpoint);
        ModelSpec spec = resolve(registry, config);
        String uri = paths.trackingUri(config.tracking());
        out.println("MLflow: " + uri);
        out.printf(Locale.ROOT, "resuming from %s (%d of %d epochs done)%n", file,
                RunCheckpoints.epochsDone(checkpoint), config.trainer().epochs());
        try (MlflowRun run = MlflowRun.resume(uri, runFolder.getFileName().toString(), paths.journal())) {
            RunRecord.write(runFolder, uri, Path.of(experimentFile));
            return train(config, spec, checkpoint.text(RunCheckpoints.EXPERIMENT_FILE).orElse(""), runFolder, run,
                    Optional.of(checkpoint));
        }
    }

    private Map<String, Double> train(ExperimentConfig config, ModelSpec spec, String configText, Path checkpoints,
                                      MlflowRun run, Optional<Checkpoint> resumeFrom) throws InterruptedException {
        Trainer trainer = trainers.get(config.trainer().id());
        try {
            // Inside the try: a data error (a missing folder, an unreadable split) fails the run in MLflow too.
            DataSource data = DataSource.load(config.data(), config.seed(), System.err);
            Map<String, Double> metrics = new LinkedHashMap<>(trainer.train(new TrainingRun(spec, data, config,
                    configText, checkpoints, run, resumeFrom)));
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

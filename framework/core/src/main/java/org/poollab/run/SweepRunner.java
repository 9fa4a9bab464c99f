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
import java.util.stream.IntStream;
import org.mlflow.api.proto.Service.RunStatus;
import org.poollab.config.ConfigException;
import org.poollab.config.ExperimentConfig;
import org.poollab.config.ExperimentPlan;
import org.poollab.config.SweepPoint;
import org.poollab.data.DataException;
import org.poollab.tracking.MlflowRun;
import org.poollab.tracking.SweepChildren;
import org.poollab.tracking.TrackingException;
import org.poollab.train.RunCheckpoints;
import org.poollab.train.TrainingStoppedException;

/**
 * Runs a sweep's points as child runs of one MLflow parent run, one after another in this JVM or in parallel JVMs
 * ({@link ParallelSweep}); a failed point is recorded and the others still run. A stopped sweep continues under the
 * same parent: finished points are kept, stopped ones resume from their checkpoints.
 */
public final class SweepRunner {

    /** Tag of a sweep's parent run: the Slurm job array its points run in. */
    public static final String SLURM_JOB_TAG = "slurm.job";

    private final RunLauncher launcher;
    private final ProjectPaths paths;
    private final PrintStream out;

    /**
     * @param launcher launches each point
     * @param paths project folders
     * @param out where progress and results are printed (stdout)
     */
    public SweepRunner(RunLauncher launcher, ProjectPaths paths, PrintStream out) {
        this.launcher = launcher;
        this.paths = paths;
        this.out = out;
    }

    /**
     * Runs every point of a sweep; in parallel JVMs if {@code parallel} is given. The sweep keeps its file and
     * overrides under {@link ProjectPaths#sweeps()} so that {@link #resume} can continue it.
     *
     * @return the final metrics of the last point (empty for a parallel sweep: each JVM prints its own)
     * @throws SweepFailedException if some points failed (the others finished)
     */
    public Map<String, Double> run(ExperimentPlan plan, Path experimentFile, Optional<ParallelSweep> parallel)
            throws InterruptedException {
        String uri = prepare(plan, parallel);
        try (MlflowRun parent = startParent(plan, experimentFile, uri)) {
            return runPoints(plan, experimentFile, uri, parent, parallel);
        }
    }

    /**
     * Submits every point of a sweep as one Slurm job array and returns: the tasks run the points as child runs of
     * the parent run created here, which the last of them ends ({@code ./poollab status} follows them).
     *
     * @return the array's job id
     * @throws ConfigException if the tracking server cannot be reached from the cluster's nodes
     */
    public String submit(ExperimentPlan plan, Path experimentFile, SlurmSweep slurm) {
        String uri = prepare(plan, Optional.empty());
        slurm.checkReachable(uri, plan);
        try (MlflowRun parent = startParent(plan, experimentFile, uri)) {
            return submit(plan, IntStream.range(0, plan.points().size()).boxed().toList(), uri, parent, slurm);
        }
    }

    /**
     * Resubmits the points of a Slurm sweep that did not finish, as a new job array under the same parent run:
     * finished points are kept, a stopped point continues from its newest checkpoint, the others start.
     *
     * @return the new array's job id, or empty if every point had finished
     */
    public Optional<String> resubmit(String parentRunId, ExperimentPlan plan, SlurmSweep slurm) {
        String uri = prepare(plan, Optional.empty());
        slurm.checkReachable(uri, plan);
        Map<Integer, SweepChildren.Child> children = SweepChildren.of(uri, parentRunId);
        List<Integer> unfinished = new ArrayList<>();
        for (int i = 0; i < plan.points().size(); i++) {
            SweepChildren.Child child = children.get(i);
            if (child == null || child.status() != RunStatus.FINISHED) {
                unfinished.add(i);
            }
        }
        if (unfinished.isEmpty()) {
            out.println("every point of sweep " + parentRunId + " has finished; nothing to resubmit");
            return Optional.empty();
        }
        out.println("resubmitting " + unfinished.size() + " of " + plan.points().size() + " points: " + unfinished);
        try (MlflowRun parent = MlflowRun.resume(uri, parentRunId, paths.journal())) {
            return Optional.of(submit(plan, unfinished, uri, parent, slurm));
        }
    }

    private String submit(ExperimentPlan plan, List<Integer> tasks, String uri, MlflowRun parent, SlurmSweep slurm) {
        SlurmSweep.Submitted submitted;
        try {
            submitted = slurm.submit(plan, tasks, uri, parent.runId(), paths.sweeps().resolve(parent.runId()),
                    paths);
        } catch (RuntimeException e) {
            parent.fail("the job array was not submitted: " + e.getMessage());
            throw e;
        }
        parent.setTags(Map.of(SLURM_JOB_TAG, submitted.jobId()));
        parent.logArtifact(submitted.script(), "slurm");
        parent.handOver();
        out.println("MLflow sweep: " + parent.url() + "\nfollow it with: ./poollab status " + parent.runId());
        return submitted.jobId();
    }

    /** Creates the sweep's parent run with its grid, tags and experiment file, and keeps the sweep's record. */
    private MlflowRun startParent(ExperimentPlan plan, Path experimentFile, String uri) {
        ExperimentConfig first = plan.points().get(0).config();
        String sweepName = experimentFile.getFileName().toString().replaceFirst("\\.ya?ml$", "") + "-sweep";
        MlflowRun parent = MlflowRun.start(uri, first.experiment(), sweepName, Map.of(), paths.journal());
        SweepRecord.save(paths.sweeps(), parent.runId(), experimentFile, plan);
        Map<String, String> params = new LinkedHashMap<>();
        plan.grid().forEach((key, values) -> params.put("sweep." + key, values.toString()));
        parent.logParams(params);
        Map<String, String> tags = new LinkedHashMap<>(RunProvenance.environment());
        tags.put("sweep.runs", Integer.toString(plan.points().size()));
        parent.setTags(tags);
        parent.logArtifact(experimentFile, "config/" + experimentFile.getFileName());
        return parent;
    }

    /**
     * Continues a stopped sweep under the same parent run: points that finished are kept, a point whose run
     * stopped after an epoch checkpoint continues from it, the others start.
     *
     * @param plan the sweep as {@link SweepRecord} kept it
     * @return the final metrics of the last point (empty for a parallel sweep)
     * @throws SweepFailedException if some points failed (the others finished)
     */
    public Map<String, Double> resume(String parentRunId, ExperimentPlan plan, Path experimentFile,
                                      Optional<ParallelSweep> parallel) throws InterruptedException {
        String uri = prepare(plan, parallel);
        try (MlflowRun parent = MlflowRun.resume(uri, parentRunId, paths.journal())) {
            out.println("continuing sweep " + parentRunId + " (" + plan.points().size() + " runs)");
            return runPoints(plan, experimentFile, uri, parent, parallel);
        }
    }

    /**
     * Runs one point of a sweep as a child of an existing parent run (the JVMs of a {@link ParallelSweep}).
     *
     * @param index the point, 0-based
     * @param parentRunId the sweep's MLflow parent run
     * @return the point's final metrics
     * @throws ConfigException if the plan has no such point
     */
    public Map<String, Double> runPoint(ExperimentPlan plan, Path experimentFile, int index, String parentRunId,
                                        boolean settleParent) throws InterruptedException {
        if (index < 0 || index >= plan.points().size()) {
            throw new ConfigException(ParallelSweep.POINT_OPTION, "the sweep has points 0 to "
                    + (plan.points().size() - 1) + ", not " + index);
        }
        String uri = paths.trackingUri(plan.points().get(index).config().tracking());
        try {
            return runPoint(plan, index, experimentFile, uri, parentRunId);
        } finally {
            if (settleParent) {
                settle(uri, parentRunId, plan.points().size());
            }
        }
    }

    /**
     * Ends the parent run of a sweep whose points run as separate jobs once every point has ended: FINISHED if
     * all finished, else FAILED naming the others. Two tasks ending at once may both end it, to the same status.
     */
    private void settle(String uri, String parentRunId, int points) {
        Map<Integer, SweepChildren.Child> children = SweepChildren.of(uri, parentRunId);
        if (children.size() < points || children.values().stream().anyMatch(child ->
                child.status() == RunStatus.RUNNING || child.status() == RunStatus.SCHEDULED)) {
            return; // points still to run
        }
        List<String> unfinished = new ArrayList<>();
        children.forEach((index, child) -> {
            if (child.status() != RunStatus.FINISHED) {
                unfinished.add("point " + index + " (run " + child.runId() + ") " + child.status());
            }
        });
        try (MlflowRun parent = MlflowRun.resume(uri, parentRunId, paths.journal())) {
            if (unfinished.isEmpty()) {
                parent.finish();
                out.println("== every point finished: MLflow sweep " + parent.url() + " FINISHED");
            } else {
                parent.fail(String.join("\n", unfinished));
            }
        } catch (TrackingException e) {
            out.println("== the sweep's parent run was not ended here (" + e.getMessage() + ")"); // another task did
        }
    }

    private String prepare(ExperimentPlan plan, Optional<ParallelSweep> parallel) {
        String uri = launcher.prepare(plan);
        parallel.ifPresent(sweep -> sweep.checkMemory(plan));
        return uri;
    }

    private Map<String, Double> runPoints(ExperimentPlan plan, Path experimentFile, String uri, MlflowRun parent,
                                          Optional<ParallelSweep> parallel) throws InterruptedException {
        parent.setStopHint("'./poollab resume " + parent.runId() + "' continues the sweep: finished runs are kept, "
                + "a stopped run continues from its newest checkpoint, the others start.");
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
                } catch (TrainingStoppedException e) {
                    throw e; // the process is ending: the sweep's resume continues this point and the rest
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

    /** Runs a point; a point that ran before the sweep was stopped is kept or continued instead. */
    private Map<String, Double> runPoint(ExperimentPlan plan, int index, Path experimentFile, String uri,
                                         String parentRunId) throws InterruptedException {
        Optional<Map<String, Double>> earlier = continueEarlier(plan.points().get(index), index, uri, parentRunId);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        return launcher.start(plan, index, experimentFile, uri, Map.of(MlflowRun.PARENT_TAG, parentRunId,
                SweepChildren.POINT_TAG, Integer.toString(index)));
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
        return Optional.of(launcher.resume(folder));
    }
}

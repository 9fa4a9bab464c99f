package org.poollab.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service.RunStatus;
import org.poollab.config.ExperimentLoader;
import org.poollab.config.ExperimentPlan;
import org.poollab.data.DataException;
import org.poollab.slurm.Slurm;
import org.poollab.slurm.SlurmException;
import org.poollab.tracking.MlflowRun;
import org.poollab.tracking.SweepChildren;
import org.poollab.train.EpochLoop;

/**
 * Follows and stops a sweep by its parent run id: each point's MLflow run and status, its Slurm task's state when
 * the sweep was submitted as a job array (the queue's, else accounting's where the cluster keeps it), its latest
 * metric and, for a running point, when its training should end; cancelling cancels the array and marks the runs
 * that were still running KILLED.
 */
public final class SweepControl {

    /** The metrics {@link #status} shows, the first one a run has. */
    private static final List<String> SHOWN = List.of("knn_top1_k20", "knn_top1_k10", "loss");

    private final ProjectPaths paths;
    private final Slurm slurm;
    private final PrintStream out;

    /**
     * @param paths project folders (the sweep's record is under {@link ProjectPaths#sweeps()})
     * @param slurm the cluster's commands, for a sweep submitted to Slurm
     * @param out where the table is printed
     */
    public SweepControl(ProjectPaths paths, Slurm slurm, PrintStream out) {
        this.paths = paths;
        this.slurm = slurm;
        this.out = out;
    }

    /**
     * Prints one line per point: its label, MLflow status and run, Slurm state, latest metric.
     *
     * @return the MLflow status of each point by index ({@code null} for a point without a run yet)
     * @throws DataException if no sweep has this parent run id
     */
    public Map<Integer, SweepChildren.Child> status(String parentRunId) {
        Sweep sweep = sweep(parentRunId);
        Map<Integer, SweepChildren.Child> children = SweepChildren.of(sweep.uri(), parentRunId);
        Map<Integer, String> states = new HashMap<>();
        String slurmNote = "";
        if (sweep.job().isPresent()) {
            try {
                Optional<Map<Integer, String>> accounted = slurm.accountedTasks(sweep.job().get());
                accounted.ifPresent(states::putAll);
                states.putAll(slurm.queuedTasks(sweep.job().get())); // the queue is the newer word
                slurmNote = accounted.isPresent() ? "" : " (no Slurm accounting here: tasks that left the queue "
                        + "show ENDED)";
            } catch (SlurmException e) {
                slurmNote = " (the queue cannot be read: " + e.getMessage() + ")";
            }
        }
        out.println("sweep " + parentRunId + ": " + sweep.plan().points().size() + " points" + sweep.job()
                .map(job -> ", Slurm job array " + job).orElse(", on this machine") + slurmNote);
        out.printf(Locale.ROOT, "%-5s %-36s %-10s %-34s %-10s %s%n", "point", "label", "MLflow", "run", "Slurm",
                "latest");
        long now = System.currentTimeMillis();
        for (int i = 0; i < sweep.plan().points().size(); i++) {
            SweepChildren.Child child = children.get(i);
            String state = sweep.job().isEmpty() ? "-" : states.getOrDefault(i, "ENDED");
            String latest = child == null ? "" : latest(child.metrics()) + (child.status() != RunStatus.RUNNING ? ""
                    : trainingLeft(child.metrics(), sweep.plan().points().get(i).config().trainer().epochs(), now)
                    .map(left -> ", training ends in ~" + left).orElse(""));
            out.printf(Locale.ROOT, "%-5d %-36s %-10s %-34s %-10s %s%n", i, sweep.plan().points().get(i).label(),
                    child == null ? "-" : child.status().name(), child == null ? "(not started)" : child.runId(),
                    state, latest);
        }
        return children;
    }

    /**
     * How long a running point's training should still take: its remaining epochs at the pace of its last one,
     * less the time since that one ended (evaluations not counted).
     *
     * @param epochs the point's epochs
     * @param now the current time in milliseconds since the epoch
     * @return empty before its first epoch ended
     */
    static Optional<String> trainingLeft(Map<String, SweepChildren.Metric> metrics, int epochs, long now) {
        SweepChildren.Metric last = metrics.get(EpochLoop.EPOCH_MINUTES);
        if (last == null) {
            return Optional.empty();
        }
        double minutes = Math.max(0, (epochs - last.step()) * last.value() - (now - last.timestamp()) / 60_000.0);
        return Optional.of(minutes < 90 ? String.format(Locale.ROOT, "%.0f min", Math.ceil(minutes))
                : String.format(Locale.ROOT, "%.1f h", minutes / 60));
    }

    /**
     * Cancels a sweep submitted to Slurm: {@code scancel} of its array, and every point's run that MLflow still
     * shows RUNNING, and the parent, marked KILLED.
     *
     * @throws DataException if no sweep has this id, or it was not submitted to Slurm
     */
    public void cancel(String parentRunId) {
        Sweep sweep = sweep(parentRunId);
        String job = sweep.job().orElseThrow(() -> new DataException("sweep " + parentRunId + " runs on this machine,"
                + " not as a Slurm job array: stop its './poollab run' (Ctrl-C) instead"));
        slurm.cancel(job);
        out.println("cancelled Slurm job array " + job);
        List<String> killed = new ArrayList<>();
        SweepChildren.of(sweep.uri(), parentRunId).forEach((index, child) -> {
            if (child.status() == RunStatus.RUNNING && MlflowRun.markKilledIfRunning(sweep.uri(), child.runId(),
                    "cancelled with ./poollab cancel " + parentRunId).orElse(false)) {
                killed.add("point " + index + " (run " + child.runId() + ")");
            }
        });
        MlflowRun.markKilledIfRunning(sweep.uri(), parentRunId, "cancelled with ./poollab cancel " + parentRunId);
        out.println("marked KILLED: " + (killed.isEmpty() ? "no running point" : String.join(", ", killed))
                + ", and the sweep's parent run; './poollab resume " + parentRunId + " --executor slurm' continues it");
    }

    private Sweep sweep(String parentRunId) {
        Path folder = paths.sweeps().resolve(PathSegment.of(parentRunId));
        Optional<SweepRecord> record;
        try {
            record = SweepRecord.find(paths.sweeps(), parentRunId);
        } catch (IOException e) {
            throw new DataException("cannot read the sweep record " + folder + " (" + e.getMessage() + ")");
        }
        SweepRecord found = record.orElseThrow(() -> new DataException("no sweep " + parentRunId + " in "
                + paths.sweeps() + ": pass the parent run id that 'poollab run' printed for the sweep (MLflow sweep: "
                + ".../runs/<id>)"));
        ExperimentPlan plan = ExperimentLoader.plan(found.experimentFile(), found.overrides());
        return new Sweep(plan, paths.trackingUri(plan.points().get(0).config().tracking()),
                SlurmSweep.jobOf(folder));
    }

    private static String latest(Map<String, SweepChildren.Metric> metrics) {
        for (String name : SHOWN) {
            if (metrics.containsKey(name)) {
                return String.format(Locale.ROOT, "%s %.4g", name, metrics.get(name).value());
            }
        }
        return "";
    }

    private record Sweep(ExperimentPlan plan, String uri, Optional<String> job) {
    }
}

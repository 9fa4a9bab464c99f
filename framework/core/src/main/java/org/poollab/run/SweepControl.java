package org.poollab.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
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

/**
 * Follows and stops a sweep by its parent run id: each point's MLflow run and status, its Slurm task's state when
 * the sweep was submitted as a job array, and its latest metrics; cancelling cancels the array and marks the runs
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
        Map<Integer, String> queued = Map.of();
        String slurmNote = "";
        if (sweep.job().isPresent()) {
            try {
                queued = slurm.queuedTasks(sweep.job().get());
            } catch (SlurmException e) {
                slurmNote = " (the queue cannot be read: " + e.getMessage() + ")";
            }
        }
        out.println("sweep " + parentRunId + ": " + sweep.plan().points().size() + " points" + sweep.job()
                .map(job -> ", Slurm job array " + job).orElse(", on this machine") + slurmNote);
        out.printf(Locale.ROOT, "%-5s %-36s %-10s %-34s %-10s %s%n", "point", "label", "MLflow", "run", "Slurm",
                "latest");
        for (int i = 0; i < sweep.plan().points().size(); i++) {
            SweepChildren.Child child = children.get(i);
            String state = sweep.job().isEmpty() ? "-" : queued.getOrDefault(i, "ENDED");
            out.printf(Locale.ROOT, "%-5d %-36s %-10s %-34s %-10s %s%n", i, sweep.plan().points().get(i).label(),
                    child == null ? "-" : child.status().name(), child == null ? "(not started)" : child.runId(),
                    state, child == null ? "" : latest(child.metrics()));
        }
        return children;
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

    private static String latest(Map<String, Double> metrics) {
        for (String name : SHOWN) {
            if (metrics.containsKey(name)) {
                return String.format(Locale.ROOT, "%s %.4g", name, metrics.get(name));
            }
        }
        return "";
    }

    private record Sweep(ExperimentPlan plan, String uri, Optional<String> job) {
    }
}

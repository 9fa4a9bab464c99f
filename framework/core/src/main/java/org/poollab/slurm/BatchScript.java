package org.poollab.slurm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.poollab.config.SlurmConfig;

/**
 * The batch script of a sweep's job array: one task per sweep point, each running PoolLab on its point
 * ({@code $SLURM_ARRAY_TASK_ID}) as a child run of the sweep's MLflow parent, with the point's console output in
 * the sweep's log folder. Tasks ask to be requeued on node failure or preemption, and before their time limit
 * ({@value #SIGNAL_SECONDS} s ahead, Slurm signals the batch shell with USR1, which stops the run and requeues the
 * task); a requeued task continues its point from its newest checkpoint.
 *
 * @param jobName the job's name in the queue
 * @param tasks the task indices: the sweep's points to run (all of them, or those a resumed sweep still needs)
 * @param resources what each task asks for
 * @param environment variables every task sets (tracking server, PoolLab's folders), in order
 * @param workingDirectory where each task runs (the project folder, on a shared filesystem)
 * @param logPattern each task's output file, with {@code %a} for the task index
 * @param command the command of a task, without the point, which the script appends
 */
public record BatchScript(String jobName, List<Integer> tasks, SlurmConfig resources, Map<String, String> environment,
                          String workingDirectory, String logPattern, List<String> command) {

    /** How long before the time limit Slurm warns the task (USR1) so that it can stop and be requeued. */
    public static final int SIGNAL_SECONDS = 120;

    /** Copies the collections. */
    public BatchScript {
        environment = new LinkedHashMap<>(environment);
        command = List.copyOf(command);
        tasks = List.copyOf(tasks);
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a job array needs at least one task");
        }
    }

    /** The script's text. */
    public String text() {
        List<String> lines = new ArrayList<>();
        lines.add("#!/bin/bash");
        lines.add("# A PoolLab sweep as a Slurm job array, written by './poollab run --executor slurm'.");
        lines.add("#SBATCH --job-name=" + jobName);
        lines.add("#SBATCH --array=" + ranges(tasks) + resources.maxParallel().map(k -> "%" + k).orElse(""));
        lines.add("#SBATCH --output=" + logPattern);
        lines.add("#SBATCH --open-mode=append"); // a requeued task's output follows its first attempt's
        lines.add("#SBATCH --requeue");
        lines.add("#SBATCH --signal=B:USR1@" + SIGNAL_SECONDS);
        resources.partition().ifPresent(p -> lines.add("#SBATCH --partition=" + p));
        resources.cpusPerTask().ifPresent(c -> lines.add("#SBATCH --cpus-per-task=" + c));
        resources.mem().ifPresent(m -> lines.add("#SBATCH --mem=" + m));
        resources.time().ifPresent(t -> lines.add("#SBATCH --time=" + t));
        resources.gres().ifPresent(g -> lines.add("#SBATCH --gres=" + g));
        resources.extra().forEach(option -> lines.add("#SBATCH " + option));
        lines.add("set -e");
        environment.forEach((name, value) -> lines.add("export " + name + "=" + quote(value)));
        // ND4J's threads: the task's CPUs, not every core of a shared node.
        lines.add("if [ -n \"${SLURM_CPUS_PER_TASK:-}\" ]; then export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK; fi");
        lines.add("cd " + quote(workingDirectory));
        // USR1 (the time limit is near, or scancel --signal=USR1 --batch): stop the run, which is then marked
        // KILLED like any stopped run, and put the task back in the queue, where it resumes from its checkpoint.
        lines.add("requeue() {");
        lines.add("  kill -TERM \"$child\" 2>/dev/null || true");
        lines.add("  wait \"$child\" || true");
        lines.add("  echo \"poollab: USR1: requeueing task $SLURM_ARRAY_TASK_ID to continue from its checkpoint\"");
        lines.add("  scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"");
        lines.add("  exit 0");
        lines.add("}");
        lines.add("trap requeue USR1");
        List<String> words = new ArrayList<>();
        command.forEach(word -> words.add(quote(word)));
        lines.add(String.join(" ", words) + " \"$SLURM_ARRAY_TASK_ID\" &"); // in the background: the trap can run
        lines.add("child=$!");
        lines.add("wait \"$child\"");
        return String.join("\n", lines) + "\n";
    }

    /** Task indices as sbatch writes them: {@code 0-4}, {@code 1,3-5}. */
    static String ranges(List<Integer> tasks) {
        List<String> parts = new ArrayList<>();
        int start = tasks.get(0);
        int previous = start;
        for (int task : tasks.subList(1, tasks.size())) {
            if (task != previous + 1) {
                parts.add(start == previous ? "" + start : start + "-" + previous);
                start = task;
            }
            previous = task;
        }
        parts.add(start == previous ? "" + start : start + "-" + previous);
        return String.join(",", parts);
    }

    /** A word for bash in single quotes (a single quote inside becomes {@code '\''}). */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}

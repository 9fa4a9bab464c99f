package org.poollab.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's own commands, run as processes with the environment of this one (so {@code SLURM_CONF} and the
 * user's defaults apply): submit a batch script, list an array's tasks, cancel them, list the nodes.
 */
public final class Slurm {

    private static final long TIMEOUT_SECONDS = 60;

    /**
     * Submits a batch script.
     *
     * @param options further {@code sbatch} options (the command line's {@code --slurm}), before the script
     * @return the job id {@code sbatch --parsable} printed (an array's id)
     * @throws SlurmException with sbatch's own message if it refuses the script
     */
    public String submit(Path script, List<String> options) {
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable"));
        command.addAll(options);
        command.add(script.toString());
        String out = run(command).trim();
        return out.contains(";") ? out.substring(0, out.indexOf(';')) : out; // "id;cluster" on multi-cluster sites
    }

    /**
     * Checks a batch script without submitting it ({@code sbatch --test-only}).
     *
     * @throws SlurmException with sbatch's message if the script or its options are not valid here
     */
    public void check(Path script, List<String> options) {
        List<String> command = new ArrayList<>(List.of("sbatch", "--test-only"));
        command.addAll(options);
        command.add(script.toString());
        run(command);
    }

    /**
     * The tasks of an array job that the queue still holds, by task index: {@code PENDING}, {@code RUNNING}, ...
     * (a task that ended is no longer listed).
     */
    public Map<Integer, String> queuedTasks(String jobId) {
        Map<Integer, String> tasks = new TreeMap<>();
        for (String line : run(List.of("squeue", "-h", "-r", "-j", jobId, "-o", "%K %T")).split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 2 && fields[0].matches("\\d+")) {
                tasks.put(Integer.parseInt(fields[0]), fields[1]);
            }
        }
        return tasks;
    }

    /** Cancels every task of a job ({@code scancel}). */
    public void cancel(String jobId) {
        run(List.of("scancel", jobId));
    }

    /**
     * The names of the nodes a job of {@code partition} can run on ({@code sinfo -N}).
     *
     * @param partition the partition; empty for the cluster's default one (all nodes where none is the default)
     */
    public List<String> nodes(Optional<String> partition) {
        List<String[]> rows = run(List.of("sinfo", "-h", "-N", "-o", "%N %P")).lines().map(String::trim)
                .filter(line -> !line.isEmpty()).map(line -> line.split("\\s+")).filter(row -> row.length == 2)
                .toList();
        boolean hasDefault = rows.stream().anyMatch(row -> row[1].endsWith("*")); // sinfo stars the default
        return rows.stream().filter(row -> partition.map(p -> row[1].replace("*", "").equals(p))
                        .orElse(!hasDefault || row[1].endsWith("*")))
                .map(row -> row[0]).distinct().toList();
    }

    /**
     * The states Slurm's accounting keeps of an array's tasks, by task index ({@code COMPLETED}, {@code CANCELLED},
     * {@code FAILED}, {@code TIMEOUT}, ...): also of the tasks that left the queue.
     *
     * @return empty where the cluster keeps no accounting ({@code sacct} refuses)
     */
    public Optional<Map<Integer, String>> accountedTasks(String jobId) {
        String out;
        try {
            out = run(List.of("sacct", "-n", "-X", "-P", "-j", jobId, "-o", "JobID,State"));
        } catch (SlurmException accountingOff) { // "Slurm accounting storage is disabled"
            return Optional.empty();
        }
        Map<Integer, String> tasks = new TreeMap<>();
        for (String line : out.split("\n")) {
            String[] fields = line.trim().split("\\|");
            if (fields.length == 2 && fields[0].matches("\\d+_\\d+")) { // pending ranges read "id_[1-3]"
                tasks.put(Integer.parseInt(fields[0].substring(fields[0].indexOf('_') + 1)),
                        fields[1].split(" ")[0]); // "CANCELLED by 0"
            }
        }
        return Optional.of(tasks);
    }

    private static String run(List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new SlurmException("cannot run " + command.get(0) + " (" + e.getMessage() + "): is Slurm "
                    + "installed here (Debian: apt-get install slurm-client) and on the PATH?");
        }
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new SlurmException(String.join(" ", command) + " did not answer in " + TIMEOUT_SECONDS
                        + " s: is slurmctld running and reachable (scontrol ping)?");
            }
            if (process.exitValue() != 0) {
                throw new SlurmException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
                        + out.trim());
            }
            return out;
        } catch (IOException e) {
            throw new SlurmException("cannot read the output of " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SlurmException(command.get(0) + " was interrupted");
        }
    }
}

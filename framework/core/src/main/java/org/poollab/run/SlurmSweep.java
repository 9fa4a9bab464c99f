package org.poollab.run;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.poollab.config.ConfigException;
import org.poollab.config.ExperimentPlan;
import org.poollab.config.SlurmConfig;
import org.poollab.data.DataException;
import org.poollab.slurm.BatchScript;
import org.poollab.slurm.Slurm;

/**
 * Submits a sweep as ONE Slurm job array, a task per point: each task runs this command on its point as a child
 * run of the sweep's MLflow parent, and the last task to end settles the parent. The batch script is kept in
 * {@code <sweep record>/slurm/sweep.sbatch} and the array's job id beside it. The project folder, the data, the
 * plugins and POOLLAB_HOME must be on a filesystem every node shares, and the tracking server reachable from the
 * nodes: a loopback-only server is refused unless every node of the cluster is this machine.
 */
public final class SlurmSweep {

    /** The hidden {@code run} option that makes a task end the sweep's parent run once every point has ended. */
    public static final String SETTLE_OPTION = "--sweep-settle";
    /** The file beside the batch script that holds the array's job id. */
    static final String JOB_FILE = "job";
    private static final String FOLDER = "slurm";

    private final Slurm slurm;
    private final String mainClass;
    private final List<String> runArguments;
    private final List<String> sbatchOptions;
    private final PrintStream out;

    /**
     * @param slurm the cluster's commands
     * @param mainClass the CLI's main class, which each task runs
     * @param runArguments the {@code run} command that planned the sweep (file and overrides), without the point
     * @param sbatchOptions further {@code sbatch} options from the command line ({@code --slurm})
     * @param out where progress is printed
     */
    public SlurmSweep(Slurm slurm, String mainClass, List<String> runArguments, List<String> sbatchOptions,
                      PrintStream out) {
        this.slurm = slurm;
        this.mainClass = mainClass;
        this.runArguments = List.copyOf(runArguments);
        this.sbatchOptions = List.copyOf(sbatchOptions);
        this.out = out;
    }

    /**
     * Refuses a tracking server that only this machine can reach when the sweep's partition has other nodes.
     *
     * @throws ConfigException naming {@code tracking.uri} and the fix
     */
    void checkReachable(String trackingUri, ExperimentPlan plan) {
        if (!loopback(trackingUri)) {
            return;
        }
        String here = LocalHost.name().orElse("localhost");
        Optional<String> partition = partition(sbatchOptions).or(() -> resources(plan).partition());
        List<String> elsewhere = otherNodes(slurm.nodes(partition), here);
        if (!elsewhere.isEmpty()) {
            throw new ConfigException("tracking.uri", "is " + trackingUri + ", which only this machine (" + here
                    + ") can reach, but the nodes of " + partition.map(p -> "partition " + p)
                    .orElse("the default partition") + " include " + String.join(", ", elsewhere) + ": run an "
                    + "MLflow server the nodes can reach and set tracking.uri (or MLFLOW_TRACKING_URI) to it");
        }
    }

    /** The partition sbatch options ask for ({@code --partition=p}, {@code --partition p}, {@code -p p}). */
    static Optional<String> partition(List<String> options) {
        Optional<String> found = Optional.empty();
        for (int i = 0; i < options.size(); i++) { // the last one wins, as in sbatch
            String option = options.get(i);
            if (option.startsWith("--partition=")) {
                found = Optional.of(option.substring("--partition=".length()));
            } else if ((option.equals("--partition") || option.equals("-p")) && i + 1 < options.size()) {
                found = Optional.of(options.get(++i));
            } else if (option.startsWith("-p") && option.length() > 2 && !option.startsWith("--")) {
                found = Optional.of(option.substring(2));
            }
        }
        return found;
    }

    private static SlurmConfig resources(ExperimentPlan plan) {
        return plan.points().get(0).config().slurm().orElse(SlurmConfig.defaults());
    }

    /**
     * Writes the batch script, checks it with {@code sbatch --test-only}, and submits it.
     *
     * @param plan the sweep
     * @param tasks the points to run (all, or those a resumed sweep still needs)
     * @param sweepFolder the sweep's record folder ({@link SweepRecord})
     * @return the batch script and the array's job id
     * @throws org.poollab.slurm.SlurmException with sbatch's message if the cluster refuses the script
     */
    Submitted submit(ExperimentPlan plan, List<Integer> tasks, String trackingUri, String parentRunId,
                     Path sweepFolder, ProjectPaths paths) {
        SlurmConfig resources = resources(plan);
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("MLFLOW_TRACKING_URI", trackingUri);
        environment.put("POOLLAB_HOME", paths.home().toString());
        environment.put("POOLLAB_PLUGINS_DIR", paths.plugins().toString());
        environment.put(ProjectPaths.PLUGINS_PATH, paths.extraPluginsPath());
        List<String> arguments = new ArrayList<>(runArguments);
        arguments.addAll(List.of(ParallelSweep.PARENT_OPTION, parentRunId, SETTLE_OPTION,
                ParallelSweep.POINT_OPTION));
        String experiment = plan.points().get(0).config().experiment().replaceAll("[^A-Za-z0-9._-]", "_");
        BatchScript script = new BatchScript("poollab-" + experiment, tasks, resources, environment,
                Path.of("").toAbsolutePath().toString(), paths.logs().resolve(parentRunId + "-%a.log").toString(),
                JvmCommand.of(mainClass, arguments));
        Path folder = sweepFolder.resolve(FOLDER);
        Path file = folder.resolve("sweep.sbatch");
        try {
            Files.createDirectories(folder);
            Files.createDirectories(paths.logs());
            Files.writeString(file, script.text());
        } catch (IOException e) {
            throw new DataException("cannot write the batch script " + file + " (" + e.getMessage() + "); check that "
                    + "POOLLAB_HOME is writable");
        }
        slurm.check(file, sbatchOptions);
        String jobId = slurm.submit(file, sbatchOptions);
        try {
            Files.writeString(folder.resolve(JOB_FILE), jobId + "\n");
        } catch (IOException e) {
            throw new DataException("submitted job " + jobId + " but cannot record it in " + folder + " ("
                    + e.getMessage() + "); './poollab cancel' needs it: scancel " + jobId + " by hand if needed");
        }
        out.println("submitted Slurm job array " + jobId + ": " + tasks.size() + " tasks"
                + resources.maxParallel().map(k -> ", " + k + " at a time").orElse("") + "; batch script " + file
                + "; task logs " + paths.logs().resolve(parentRunId + "-<task>.log"));
        return new Submitted(file, jobId);
    }

    /**
     * The job id of a sweep that was submitted to Slurm.
     *
     * @return empty for a sweep that ran on this machine
     */
    static Optional<String> jobOf(Path sweepFolder) {
        Path file = sweepFolder.resolve(FOLDER).resolve(JOB_FILE);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Whether only this machine can reach the server ({@code localhost}, {@code 127.x}, {@code ::1}). */
    static boolean loopback(String trackingUri) {
        String host = URI.create(trackingUri).getHost();
        return host == null || host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1");
    }

    /** The nodes that are not this machine ({@code here}, with or without its domain). */
    static List<String> otherNodes(List<String> nodes, String here) {
        String shortName = here.split("\\.")[0];
        return nodes.stream().filter(node -> !node.equals(here) && !node.equals(shortName)).toList();
    }

    /**
     * A submitted job array.
     *
     * @param script its batch script
     * @param jobId the array's job id
     */
    record Submitted(Path script, String jobId) {
    }
}

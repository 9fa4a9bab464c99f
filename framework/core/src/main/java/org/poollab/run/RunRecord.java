package org.poollab.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.poollab.tracking.MlflowRun;
import org.poollab.tracking.ProcessIdentity;
import org.poollab.tracking.PropertiesFile;

/**
 * Who is running a run: {@code run.properties} in its checkpoint folder, written when the run starts (before any
 * checkpoint), with the process (pid and start time), the MLflow server and the experiment file. A process killed
 * with no chance to report (SIGKILL, power loss) leaves its MLflow run RUNNING; the record lets the next command
 * that looks ({@code resume}, a new run, {@code mlflow sync}) see that the process is gone and mark the run KILLED,
 * and lets {@code resume} say what to run instead when there is no checkpoint.
 */
public final class RunRecord {

    private static final String FILE = "run.properties";
    /** Written once the run is known to have ended in MLflow, so that no later look asks the server again. */
    private static final String SETTLED = "run.settled";

    private final Path folder;
    private final Properties properties;

    private RunRecord(Path folder, Properties properties) {
        this.folder = folder;
        this.properties = properties;
    }

    /**
     * Records this process as running the run of {@code folder}.
     *
     * @param experimentFile the experiment file the run was started from (named in resume's advice)
     */
    public static void write(Path folder, String trackingUri, Path experimentFile) {
        Properties properties = new Properties();
        properties.setProperty("host", host());
        ProcessIdentity.of(ProcessHandle.current()).store(properties);
        properties.setProperty("trackingUri", trackingUri);
        properties.setProperty("experimentFile", experimentFile.toAbsolutePath().toString());
        try {
            Files.createDirectories(folder);
            Files.deleteIfExists(folder.resolve(SETTLED)); // running again (a resume): its end is unknown again
            // Atomic: a kill right after the start must not leave a half-written record that names no process.
            PropertiesFile.write(folder.resolve(FILE), properties, "the process running this PoolLab run");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(FILE) + " (" + e.getMessage()
                    + "); free disk space or set POOLLAB_HOME", e);
        }
    }

    /** The record of a run folder, if it has one. */
    public static Optional<RunRecord> read(Path folder) {
        return PropertiesFile.read(folder.resolve(FILE)).map(properties -> new RunRecord(folder, properties));
    }

    /** The experiment file the run was started from. */
    public String experimentFile() {
        return properties.getProperty("experimentFile", "<experiment file>");
    }

    /**
     * Whether the recorded process still runs (same pid and start time: a reused pid is not it). A process of
     * another host (a run folder on a cluster's shared filesystem) cannot be looked at, so it counts as alive:
     * only the host that ran it marks it KILLED.
     */
    public boolean processAlive() {
        if (!host().equals(properties.getProperty("host", host()))) {
            return true;
        }
        return ProcessIdentity.from(properties).live().isPresent();
    }

    /**
     * Marks the run KILLED in MLflow if its process is gone and MLflow still shows it RUNNING; once the run is
     * known to have ended, the record is settled and never asked about again.
     *
     * @return whether it was marked now
     */
    public boolean settleIfDead(PrintStream out) {
        if (Files.exists(folder.resolve(SETTLED)) || processAlive()) {
            return false;
        }
        String runId = folder.getFileName().toString();
        Optional<Boolean> marked = MlflowRun.markKilledIfRunning(properties.getProperty("trackingUri"), runId,
                "the process (pid " + ProcessIdentity.from(properties).pid() + ") ended without reporting; marked "
                        + "KILLED when next seen");
        if (marked.isEmpty()) {
            return false; // the server is away: look again next time
        }
        ended(folder);
        if (marked.get()) {
            out.println("poollab: run " + runId + " was left RUNNING by a process that is gone; marked KILLED");
        }
        return marked.get();
    }

    /**
     * Records that the run of {@code folder} has ended in MLflow (finished, failed, or marked KILLED), so that no
     * later look asks the server about it.
     */
    public static void ended(Path folder) {
        try {
            Files.writeString(folder.resolve(SETTLED), "");
        } catch (IOException e) {
            // Not fatal: the next look asks the server once more, harmlessly.
        }
    }

    /** Settles every dead run under {@code checkpoints/<experiment>/<run id>/}. */
    public static void settleAll(Path checkpoints, PrintStream out) {
        if (!Files.isDirectory(checkpoints)) {
            return;
        }
        try (Stream<Path> experiments = Files.list(checkpoints)) {
            for (Path experiment : experiments.filter(Files::isDirectory).toList()) {
                List<Path> runs;
                try (Stream<Path> folders = Files.list(experiment)) {
                    runs = folders.filter(Files::isDirectory).toList();
                }
                runs.forEach(run -> read(run).ifPresent(record -> record.settleIfDead(out)));
            }
        } catch (IOException e) {
            out.println("warning: cannot look for stopped runs in " + checkpoints + " (" + e.getMessage() + ")");
        }
    }

    private static String host() {
        return LocalHost.name().orElse("localhost");
    }
}

package org.poollab.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.poollab.tracking.MlflowRun;

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
        ProcessHandle self = ProcessHandle.current();
        Properties properties = new Properties();
        properties.setProperty("host", host());
        properties.setProperty("pid", Long.toString(self.pid()));
        properties.setProperty("started", startMillis(self));
        properties.setProperty("trackingUri", trackingUri);
        properties.setProperty("experimentFile", experimentFile.toAbsolutePath().toString());
        try {
            Files.createDirectories(folder);
            Files.deleteIfExists(folder.resolve(SETTLED)); // running again (a resume): its end is unknown again
            Path temporary = folder.resolve(FILE + ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                properties.store(out, "the process running this PoolLab run");
            }
            // A kill right after the start must not leave a half-written record that names no process.
            Files.move(temporary, folder.resolve(FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(FILE) + " (" + e.getMessage()
                    + "); free disk space or set POOLLAB_HOME", e);
        }
    }

    /** The record of a run folder, if it has one. */
    public static Optional<RunRecord> read(Path folder) {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
            return Optional.of(new RunRecord(folder, properties));
        } catch (IOException e) {
            return Optional.empty();
        }
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
        long pid = Long.parseLong(properties.getProperty("pid", "-1"));
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(handle -> startMillis(handle).equals(properties.getProperty("started"))).orElse(false);
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
                "the process (pid " + properties.getProperty("pid") + ") ended without reporting; marked KILLED "
                        + "when next seen");
        if (marked.isEmpty()) {
            return false; // the server is away: look again next time
        }
        try {
            Files.writeString(folder.resolve(SETTLED), "");
        } catch (IOException e) {
            return marked.get(); // asked again next time, harmlessly
        }
        if (marked.get()) {
            out.println("poollab: run " + runId + " was left RUNNING by a process that is gone; marked KILLED");
        }
        return marked.get();
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
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String startMillis(ProcessHandle process) {
        return process.info().startInstant().map(instant -> Long.toString(instant.toEpochMilli())).orElse("");
    }
}

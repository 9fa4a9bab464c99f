package org.poollab.run;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.Pointer;
import org.poollab.config.ConfigException;
import org.poollab.config.ExperimentPlan;
import org.poollab.config.SweepPoint;
import org.poollab.train.StepBoundaryStop;

/**
 * Runs a sweep's points as separate JVMs, {@code workers} at a time, each with its share of the cores
 * ({@code OMP_NUM_THREADS} = cores / workers, at least 1). ND4J's many small ops use a second thread poorly: on 2
 * cores, three 1-thread DINO runs together made 25 img/s where one 2-thread run makes 15. Every point logs its own
 * MLflow child run; its console output goes to {@code <logs>/<parent run id>-<n>.log} (appended to when a resumed
 * sweep runs the point again).
 */
public final class ParallelSweep {

    /** The hidden {@code run} option that makes a JVM run one point (0-based) of the sweep. */
    public static final String POINT_OPTION = "--sweep-point";
    /** The hidden {@code run} option naming the sweep's MLflow parent run. */
    public static final String PARENT_OPTION = "--sweep-parent";

    private static final long STATUS_EVERY_SECONDS = 60;
    /** How long a stopped sweep waits for each worker: its checkpoint of the step in flight, then its exit. */
    private static final long STOP_GRACE_SECONDS = StepBoundaryStop.WAIT.toSeconds() + 10;
    /** A point's lines worth repeating: its metrics, its run's URL, and what it did ("== ..."). */
    private static final Pattern RESULT_LINE = Pattern.compile("\\S+ = -?[0-9.]+|MLflow run.*|== .*");
    private static final String ERROR_PREFIX = "poollab: ";

    private final int workers;
    private final String mainClass;
    private final List<String> runArguments;
    private final Path logs;
    private final PrintStream out;

    /**
     * @param workers how many points run at once
     * @param mainClass the CLI's main class
     * @param runArguments the {@code run} command that planned the sweep (file and overrides), without the point
     * @param logs where each point's console output is written
     * @param out where progress is printed
     * @throws ConfigException if workers is below 1
     */
    public ParallelSweep(int workers, String mainClass, List<String> runArguments, Path logs, PrintStream out) {
        if (workers < 1) {
            throw new ConfigException("--workers", "must be at least 1, got " + workers);
        }
        this.workers = workers;
        this.mainClass = mainClass;
        this.runArguments = List.copyOf(runArguments);
        this.logs = logs;
        this.out = out;
    }

    /** Whether the points run in separate JVMs at all (more than one worker). */
    public boolean isParallel() {
        return workers > 1;
    }

    /**
     * Runs every point of the plan and waits for all of them; stopping this JVM stops them (their runs are then
     * marked KILLED by their own shutdown).
     *
     * @return one line per failed point: its label and error
     */
    List<String> run(ExperimentPlan plan, String trackingUri, String parentRunId) throws InterruptedException {
        List<SweepPoint> points = plan.points();
        int atOnce = atOnce(plan);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / atOnce);
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new ConfigException("--workers", "cannot create the log folder " + logs + ": " + e.getMessage());
        }
        out.printf(Locale.ROOT, "== %d sweep runs, %d at a time with %d thread(s) each; logs in %s%n",
                points.size(), atOnce, threads, logs);
        Map<Integer, Process> running = new LinkedHashMap<>();
        BlockingQueue<Integer> ended = new LinkedBlockingQueue<>();
        Thread stopAll = new Thread(() -> stop(running));
        Runtime.getRuntime().addShutdownHook(stopAll);
        List<String> failures = new ArrayList<>();
        try {
            int next = 0;
            while (next < points.size() || !running.isEmpty()) {
                while (next < points.size() && running.size() < atOnce) {
                    int index = next++;
                    Process process = start(index, points.get(index), trackingUri, parentRunId, threads);
                    synchronized (running) {
                        running.put(index, process);
                    }
                    process.onExit().thenRun(() -> ended.add(index));
                }
                Integer index = ended.poll(STATUS_EVERY_SECONDS, TimeUnit.SECONDS);
                if (index == null) {
                    printStatus(running, points, parentRunId);
                    continue;
                }
                Process process;
                synchronized (running) {
                    process = running.remove(index);
                }
                report(index, points, process.exitValue(), log(parentRunId, index)).ifPresent(failures::add);
            }
        } finally {
            stop(running);
            try {
                Runtime.getRuntime().removeShutdownHook(stopAll);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running and stops the children itself
            }
        }
        return failures;
    }

    private Process start(int index, SweepPoint point, String trackingUri, String parentRunId, int threads) {
        List<String> arguments = new ArrayList<>(runArguments);
        arguments.addAll(List.of(POINT_OPTION, Integer.toString(index), PARENT_OPTION, parentRunId));
        Path log = log(parentRunId, index);
        ProcessBuilder builder = new ProcessBuilder(JvmCommand.of(mainClass, arguments))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        builder.environment().put("MLFLOW_TRACKING_URI", trackingUri);
        // The point's JVM loads the same plugin folders, --plugins ones included.
        builder.environment().put(ProjectPaths.PLUGINS_PATH, ProjectPaths.fromEnvironment().extraPluginsPath());
        try {
            Process process = builder.start();
            out.printf(Locale.ROOT, "== sweep run %d started: %s (log %s)%n", index + 1, point.label(), log);
            return process;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a JVM for sweep run " + point.label() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Prints the point's results, or returns its failure line. */
    private Optional<String> report(int index, List<SweepPoint> points, int exitCode, Path log) {
        String label = points.get(index).label();
        List<String> lines = lines(log);
        if (exitCode == 0) {
            out.printf(Locale.ROOT, "== sweep run %d finished: %s%n", index + 1, label);
            lines.stream().filter(line -> RESULT_LINE.matcher(line).matches())
                    .forEach(line -> out.println("   " + line));
            return Optional.empty();
        }
        String error = lines.stream().filter(line -> line.startsWith(ERROR_PREFIX))
                .map(line -> line.substring(ERROR_PREFIX.length())).reduce((first, second) -> second)
                .orElse("exit code " + exitCode);
        out.printf(Locale.ROOT, "== sweep run %d FAILED: %s: %s (log %s)%n", index + 1, label, error, log);
        return Optional.of(label + ": " + error);
    }

    private void printStatus(Map<Integer, Process> running, List<SweepPoint> points, String parentRunId) {
        List<Integer> indices;
        synchronized (running) {
            indices = new ArrayList<>(running.keySet());
        }
        for (int index : indices) {
            List<String> lines = lines(log(parentRunId, index));
            String last = lines.isEmpty() ? "starting" : lines.get(lines.size() - 1);
            out.printf(Locale.ROOT, "   [%s] %s%n", points.get(index).label(), last);
        }
    }

    /** The log's lines, progress-bar updates ({@code \r}) counted as lines. */
    private static List<String> lines(Path log) {
        try {
            return List.of(Files.readString(log, StandardCharsets.UTF_8).split("[\r\n]+")).stream()
                    .map(String::strip).filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private Path log(String parentRunId, int index) {
        return logs.resolve(parentRunId + "-" + (index + 1) + ".log");
    }

    private static void stop(Map<Integer, Process> running) {
        List<Process> processes;
        synchronized (running) {
            processes = new ArrayList<>(running.values());
        }
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            try {
                process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private int atOnce(ExperimentPlan plan) {
        return Math.min(workers, plan.points().size());
    }

    /**
     * Each JVM may hold up to JavaCPP's physical-memory cap (the same as this JVM's); together they must fit in
     * the machine.
     *
     * @throws ConfigException if they might not
     */
    void checkMemory(ExperimentPlan plan) {
        int atOnce = atOnce(plan);
        long cap = Pointer.maxPhysicalBytes();
        long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        if (cap > 0 && (double) atOnce * cap > total) {
            throw new ConfigException("--workers", String.format(Locale.ROOT, "%d runs at a time may each hold up "
                    + "to %.1f GB (the native memory cap -Dorg.bytedeco.javacpp.maxphysicalbytes) but this machine "
                    + "has %.1f GB; use --workers %d or fewer, or lower the cap in POOLLAB_JAVA_OPTS", atOnce,
                    cap / 1e9, total / 1e9, Math.max(1, (int) (total / cap))));
        }
    }
}

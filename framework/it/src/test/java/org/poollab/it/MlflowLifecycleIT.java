package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poollab.tracking.LocalMlflowServer;
import org.poollab.tracking.MlflowHttp;

/**
 * The local MLflow server's lifecycle with real servers and real processes: starts at once, from threads and from
 * other JVMs, end with one server; stop never signals a process that is not the recorded server. (Runs through
 * the CLI, and a restart in the middle of one: {@link LocalServerRunsIT}.)
 */
class MlflowLifecycleIT {

    @TempDir
    Path dir;

    private LocalMlflowServer server(Path home) {
        return new LocalMlflowServer(home, Project.mlflow());
    }

    @Test
    void startsAtOnceFromThreadsAndProcessesEndWithOneServerThatStopStops() throws Exception {
        Path home = dir.resolve("mlflow");
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            // Other JVMs, as two './poollab run' started together: this class's main starts the server.
            processes.add(new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"),
                    EnsureRunning.class.getName(), home.toString(), Project.mlflow().toString())
                    .redirectErrorStream(true).start());
        }
        ExecutorService threads = Executors.newFixedThreadPool(3);
        List<Future<String>> inProcess = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            inProcess.add(threads.submit((Callable<String>) () -> server(home).ensureRunning()));
        }
        Set<String> uris = new HashSet<>();
        for (Future<String> uri : inProcess) {
            uris.add(uri.get(3, TimeUnit.MINUTES));
        }
        threads.shutdown();
        for (Process process : processes) {
            assertTrue(process.waitFor(3, TimeUnit.MINUTES));
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, process.exitValue(), out);
            uris.add(out.lines().reduce((first, last) -> last).orElse(""));
        }
        assertEquals(1, uris.size(), "one server for five starts: " + uris);
        String uri = uris.iterator().next();
        assertTrue(MlflowHttp.healthy(uri));
        // Every process serving this home's database is the recorded server or one of its workers.
        Properties state = new Properties();
        try (var in = Files.newInputStream(home.resolve("server.properties"))) {
            state.load(in);
        }
        ProcessHandle recorded = ProcessHandle.of(Long.parseLong(state.getProperty("pid"))).orElseThrow();
        Set<Long> family = new HashSet<>(List.of(recorded.pid()));
        recorded.descendants().forEach(child -> family.add(child.pid()));
        List<Long> strays = ProcessHandle.allProcesses().filter(process -> process.info().arguments()
                .map(arguments -> String.join(" ", arguments).contains(home.resolve("mlflow.db").toString()))
                .orElse(false)).map(ProcessHandle::pid).filter(pid -> !family.contains(pid)).toList();
        assertEquals(List.of(), strays, "no second server for this home");
        String said = server(home).stop();
        assertTrue(said.startsWith("stopped"), said);
        waitUntil(() -> !MlflowHttp.healthy(uri), uri + " still answers after stop");
    }

    @Test
    void stopLeavesAloneAProcessThatReusedThePidAndAnotherProjectsServer() throws Exception {
        Path home = dir.resolve("mlflow");
        Files.createDirectories(home);
        Process stranger = new ProcessBuilder("sleep", "300").start();
        try {
            // PID reuse: the recorded pid now belongs to an unrelated process (its own start time, even).
            record(home, stranger.toHandle(), "http://127.0.0.1:1");
            String said = mlflowStop();
            assertTrue(said.contains("nothing was signalled"), said);
            assertTrue(stranger.isAlive(), "the unrelated process was not signalled");
        } finally {
            stranger.destroy();
        }
        // A copied clone: the state file points at another project's live server.
        LocalMlflowServer other = server(dir.resolve("other"));
        String otherUri = other.ensureRunning();
        try {
            Properties copied = new Properties();
            try (var in = Files.newInputStream(dir.resolve("other/server.properties"))) {
                copied.load(in);
            }
            try (OutputStream out = Files.newOutputStream(home.resolve("server.properties"))) {
                copied.store(out, "copied");
            }
            String said = mlflowStop();
            assertTrue(said.contains("nothing was signalled"), said);
            assertTrue(MlflowHttp.healthy(otherUri), "the other project's server still answers");
        } finally {
            other.stop();
        }
    }

    /** {@code ./poollab mlflow stop} with {@code dir} as POOLLAB_HOME (its server folder is {@code dir/mlflow}). */
    private String mlflowStop() throws Exception {
        Cli.Result result = Cli.local(Files.createDirectories(dir.resolve("cli")), dir).run("mlflow", "stop");
        assertEquals(0, result.code(), result.err());
        return result.out();
    }

    private static void record(Path home, ProcessHandle process, String uri) throws IOException {
        Properties state = new Properties();
        state.setProperty("uri", uri);
        state.setProperty("pid", Long.toString(process.pid()));
        state.setProperty("started", Long.toString(process.info().startInstant().orElseThrow().toEpochMilli()));
        try (OutputStream out = Files.newOutputStream(home.resolve("server.properties"))) {
            state.store(out, "a stale record");
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String message)
            throws InterruptedException {
        for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
        assertTrue(condition.getAsBoolean(), message);
    }

    /** {@code main(home, mlflow)}: ensures the local server runs and prints its URI, as a run's start does. */
    public static final class EnsureRunning {

        private EnsureRunning() {
        }

        public static void main(String[] args) {
            System.out.println(new LocalMlflowServer(Path.of(args[0]), Path.of(args[1])).ensureRunning());
        }
    }
}

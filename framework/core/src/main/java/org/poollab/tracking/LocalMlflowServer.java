package org.poollab.tracking;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A project-local MLflow server (sqlite store, artifacts under the project's home, bound to 127.0.0.1). It outlives
 * the run so that the UI stays open; the next run reuses it while it answers on /health.
 *
 * <p>Its lifecycle is safe against other processes: starts are serialised by a lock file, so runs started together
 * end with one server; a restarted server comes back on the port it had (runs that were logging to it carry on);
 * and {@link #stop} signals only the process it started, recognised by its pid, its start time and its command
 * line naming this project's database, never a process that reused the pid or another clone's server.
 */
public final class LocalMlflowServer {

    private static final long START_TIMEOUT_MS = 120_000;
    private static final String STATE = "server.properties";
    private static final String LOCK = "server.lock";
    /** Kept after a stop, so that the next start takes the same port. */
    private static final String LAST_PORT = "server.port";
    /** Threads of one JVM share the lock file's channel lock, which the JVM grants only once per file. */
    private static final Object IN_PROCESS = new Object();

    private final Path home;
    private final Path mlflowExecutable;

    /**
     * @param home the server's folder ({@code .poollab/mlflow}): database, artifacts, log, state file
     * @param mlflowExecutable the {@code mlflow} command of the project's virtualenv
     */
    public LocalMlflowServer(Path home, Path mlflowExecutable) {
        this.home = home;
        this.mlflowExecutable = mlflowExecutable;
    }

    /**
     * Returns the URI of a running server, starting one if needed.
     *
     * @throws TrackingException if mlflow is not installed or the server does not come up
     */
    @SuppressWarnings("try") // the file lock is held for the try block's body, never referenced in it
    public String ensureRunning() {
        String existing = recordedUri();
        if (existing != null && MlflowHttp.healthy(existing)) {
            return existing;
        }
        if (!Files.isExecutable(mlflowExecutable)) {
            throw new TrackingException("no mlflow at " + mlflowExecutable + "; run ./poollab setup (it creates the "
                    + "project's virtualenv with pip install mlflow) or set MLFLOW_TRACKING_URI");
        }
        synchronized (IN_PROCESS) {
            try (FileChannel channel = FileChannel.open(lockFile(), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                // Another process may have started one while this one waited for the lock.
                String started = recordedUri();
                return started != null && MlflowHttp.healthy(started) ? started : start();
            } catch (IOException e) {
                throw new TrackingException("cannot lock " + home.resolve(LOCK) + " to start the local MLflow "
                        + "server: " + e.getMessage(), e);
            }
        }
    }

    private Path lockFile() throws IOException {
        Files.createDirectories(home);
        return home.resolve(LOCK);
    }

    /**
     * The tracking URI the user chose with {@code MLFLOW_TRACKING_URI}, else this project's local server (started
     * if needed).
     */
    public String environmentOrLocal() {
        String fromEnv = System.getenv("MLFLOW_TRACKING_URI");
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : ensureRunning();
    }

    /** Starts a new server, on the port of the last one if that is free, and waits until it is healthy. */
    public String start() {
        try {
            return start(lastPortIfFree().orElse(freePort()));
        } catch (IOException e) {
            throw new TrackingException("cannot find a free port for the local MLflow server: " + e.getMessage(), e);
        }
    }

    /** Starts a new server on {@code port} (e.g. again where a stopped one was) and waits until it is healthy. */
    public String start(int port) {
        try {
            Files.createDirectories(home.resolve("artifacts"));
            String uri = "http://127.0.0.1:" + port;
            List<String> command = List.of(mlflowExecutable.toString(), "server",
                    "--backend-store-uri", "sqlite:///" + home.toAbsolutePath().resolve("mlflow.db"),
                    "--artifacts-destination", home.toAbsolutePath().resolve("artifacts").toString(),
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "--workers", "1");
            Path log = home.resolve("server.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            waitUntilHealthy(uri, process, log);
            record(uri, process.toHandle());
            return uri;
        } catch (IOException e) {
            throw new TrackingException("cannot start the local MLflow server in " + home + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops the server recorded in the state file, if it is still the process this project started.
     *
     * @return what was done, in words for the console
     */
    public String stop() {
        Optional<Properties> recorded = PropertiesFile.read(home.resolve(STATE));
        if (recorded.isEmpty()) {
            return "no local MLflow server recorded in " + home;
        }
        Properties state = recorded.get();
        long pid = ProcessIdentity.from(state).pid();
        Optional<ProcessHandle> process = ProcessIdentity.from(state).live().filter(this::servesThisProject);
        process.ifPresent(handle -> {
            handle.descendants().forEach(ProcessHandle::destroy);
            handle.destroy();
        });
        try {
            Files.deleteIfExists(home.resolve(STATE));
        } catch (IOException e) {
            throw new TrackingException("cannot remove " + home.resolve(STATE), e);
        }
        return process.isPresent() ? "stopped the local MLflow server (pid " + pid + ") at " + state.getProperty("uri")
                : "the local MLflow server recorded at " + state.getProperty("uri") + " (pid " + pid + ") is not "
                + "running any more; nothing was signalled (a process that now has that pid is not this project's "
                + "server)";
    }

    /**
     * Whether the recorded process (pid and start time matched) is a server of this project's database: the state
     * file may have been copied with a clone, so that it names another project's live server.
     */
    private boolean servesThisProject(ProcessHandle handle) {
        String database = home.toAbsolutePath().resolve("mlflow.db").toString();
        return handle.info().arguments().map(arguments -> String.join(" ", arguments).contains(database))
                .orElse(false);
    }

    private Optional<Integer> lastPortIfFree() {
        try {
            int port = Integer.parseInt(Files.readString(home.resolve(LAST_PORT)).trim());
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return Optional.of(socket.getLocalPort());
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // never started here, or the port is taken now: any free port will do
        }
    }

    private void waitUntilHealthy(String uri, Process process, Path log) {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (MlflowHttp.healthy(uri)) {
                return;
            }
            if (!process.isAlive()) {
                throw new TrackingException("the local MLflow server exited with code " + process.exitValue()
                        + "; see " + log);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrackingException("interrupted while starting MLflow", e);
            }
        }
        process.destroy();
        throw new TrackingException("the local MLflow server did not answer on " + uri + "/health within "
                + START_TIMEOUT_MS / 1000 + " s; see " + log);
    }

    private String recordedUri() {
        return PropertiesFile.read(home.resolve(STATE)).map(state -> state.getProperty("uri")).orElse(null);
    }

    private void record(String uri, ProcessHandle process) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("uri", uri);
        ProcessIdentity.of(process).store(properties);
        PropertiesFile.write(home.resolve(STATE), properties, "local MLflow server started by PoolLab");
        Files.writeString(home.resolve(LAST_PORT), uri.substring(uri.lastIndexOf(':') + 1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

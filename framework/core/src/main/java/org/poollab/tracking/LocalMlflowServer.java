package org.poollab.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * A project-local MLflow server (sqlite store, artifacts under the project's home, bound to 127.0.0.1 on a free
 * port). It outlives the run so that the UI stays open; the next run reuses it while it answers on /health.
 */
public final class LocalMlflowServer {

    private static final long START_TIMEOUT_MS = 120_000;

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
    public String ensureRunning() {
        String existing = recordedUri();
        if (existing != null && MlflowHttp.healthy(existing)) {
            return existing;
        }
        if (!Files.isExecutable(mlflowExecutable)) {
            throw new TrackingException("no mlflow at " + mlflowExecutable + "; run ./poollab setup (it creates the "
                    + "project's virtualenv with pip install mlflow) or set MLFLOW_TRACKING_URI");
        }
        return start();
    }

    /**
     * The tracking URI the user chose with {@code MLFLOW_TRACKING_URI}, else this project's local server (started
     * if needed).
     */
    public String environmentOrLocal() {
        String fromEnv = System.getenv("MLFLOW_TRACKING_URI");
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : ensureRunning();
    }

    /** Starts a new server on a free port and waits until it is healthy. */
    public String start() {
        try {
            return start(freePort());
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
            record(uri, process.pid());
            return uri;
        } catch (IOException e) {
            throw new TrackingException("cannot start the local MLflow server in " + home + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server recorded in the state file, if any. */
    public void stop() {
        Properties state = state();
        if (state == null) {
            return;
        }
        ProcessHandle.of(Long.parseLong(state.getProperty("pid"))).ifPresent(p -> {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        });
        try {
            Files.deleteIfExists(home.resolve("server.properties"));
        } catch (IOException e) {
            throw new TrackingException("cannot remove " + home.resolve("server.properties"), e);
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
        Properties state = state();
        return state == null ? null : state.getProperty("uri");
    }

    private Properties state() {
        Path file = home.resolve("server.properties");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
            return properties;
        } catch (IOException e) {
            return null;
        }
    }

    private void record(String uri, long pid) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("uri", uri);
        properties.setProperty("pid", Long.toString(pid));
        try (OutputStream out = Files.newOutputStream(home.resolve("server.properties"))) {
            properties.store(out, "local MLflow server started by PoolLab");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

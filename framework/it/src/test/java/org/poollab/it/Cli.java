package org.poollab.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the CLI as a user does: a separate JVM, the real plugins directory, a given MLflow server. */
final class Cli {

    /** A finished CLI process. */
    record Result(int code, String out, String err) {
    }

    /** The heap and native memory caps of a CLI process (the launcher's are larger). */
    static final List<String> MEMORY_CAPS = List.of("-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=2g",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=3g");

    private final Path dir;
    private final String trackingUri;
    private final List<String> memoryCaps;
    private final Path home;
    private final Map<String, String> environment = new LinkedHashMap<>();

    /**
     * @param dir working folder: output files, and POOLLAB_HOME (checkpoints) under {@code home/}
     * @param trackingUri the MLflow server
     */
    Cli(Path dir, String trackingUri) {
        this(dir, trackingUri, MEMORY_CAPS);
    }

    /** @param memoryCaps JVM options for the heap and native memory caps */
    Cli(Path dir, String trackingUri, List<String> memoryCaps) {
        this(dir, trackingUri, memoryCaps, dir.resolve("home"));
    }

    /**
     * A CLI with no MLFLOW_TRACKING_URI: it starts (or finds) the local server of {@code home}.
     *
     * @param home POOLLAB_HOME, which several CLIs may share (its {@code venv} must hold mlflow)
     */
    static Cli local(Path dir, Path home) {
        return new Cli(dir, null, MEMORY_CAPS, home);
    }

    private Cli(Path dir, String trackingUri, List<String> memoryCaps, Path home) {
        this.dir = dir;
        this.trackingUri = trackingUri;
        this.memoryCaps = List.copyOf(memoryCaps);
        this.home = home;
    }

    /** Sets an environment variable of the CLI's process (over the ones this class sets). */
    Cli with(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** POOLLAB_HOME of the runs (checkpoints land under {@code checkpoints/}). */
    Path home() {
        return home;
    }

    Result run(String... args) throws IOException, InterruptedException {
        int code = start(args).waitFor();
        return new Result(code, Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    /** Starts the CLI without waiting; stdout and stderr go to files in the working folder. */
    Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(memoryCaps);
        command.addAll(List.of("-cp",
                Project.CORE.resolve("poollab-framework-0.1.0-SNAPSHOT.jar") + ":" + Project.CORE.resolve("lib/*"),
                "org.poollab.cli.PoolLab"));
        command.addAll(List.of(args));
        // Run in the working folder: whatever the CLI writes relative to its directory (reports/) stays in it.
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        builder.environment().put("POOLLAB_PLUGINS_DIR", Project.PLUGINS.toString());
        builder.environment().put("POOLLAB_HOME", home().toString());
        if (trackingUri == null) {
            builder.environment().remove("MLFLOW_TRACKING_URI");
        } else {
            builder.environment().put("MLFLOW_TRACKING_URI", trackingUri);
        }
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** The CLI's stderr so far. */
    String errFile() throws IOException {
        return Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
    }

    /** Writes an experiment file into the working folder. */
    Path experiment(String text) throws IOException {
        Path file = dir.resolve("exp.yaml");
        Files.writeString(file, text);
        return file;
    }
}

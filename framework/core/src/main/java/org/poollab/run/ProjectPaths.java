package org.poollab.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.poollab.config.TrackingConfig;
import org.poollab.data.DataException;
import org.poollab.tracking.LocalMlflowServer;

/**
 * Where PoolLab keeps things, overridable by environment variables.
 *
 * @param home project-local state ({@code POOLLAB_HOME}, default {@code .poollab}): MLflow server, virtualenv
 * @param plugins the plugins directory ({@code POOLLAB_PLUGINS_DIR}, default {@code target/plugins})
 * @param extraPlugins more plugin folders: {@code POOLLAB_PLUGINS_PATH} (a user-level setting, folders separated
 *                     by {@code :}) and then the command line's {@code --plugins DIR}
 */
public record ProjectPaths(Path home, Path plugins, List<Path> extraPlugins) {

    /** The variable listing extra plugin folders, which the JVMs a command starts inherit. */
    public static final String PLUGINS_PATH = "POOLLAB_PLUGINS_PATH";
    /** Where the command line's {@code --plugins} folders are kept for {@link #fromEnvironment}. */
    public static final String PLUGINS_PROPERTY = "poollab.plugins.path";

    /** Copies the list. */
    public ProjectPaths {
        extraPlugins = List.copyOf(extraPlugins);
    }

    /** From the environment, relative to the working directory. */
    public static ProjectPaths fromEnvironment() {
        List<Path> extra = new ArrayList<>();
        for (String list : new String[] {System.getenv(PLUGINS_PATH), System.getProperty(PLUGINS_PROPERTY)}) {
            if (list != null) {
                Stream.of(list.split(":")).filter(folder -> !folder.isBlank())
                        .map(folder -> Path.of(folder).toAbsolutePath().normalize())
                        .filter(folder -> !extra.contains(folder)).forEach(extra::add);
            }
        }
        return new ProjectPaths(Path.of(env("POOLLAB_HOME", ".poollab")).toAbsolutePath(),
                Path.of(env("POOLLAB_PLUGINS_DIR", "target/plugins")).toAbsolutePath(), extra);
    }

    /** Every folder plugins are loaded from: the plugins directory first, then the extra folders. */
    public List<Path> pluginFolders() {
        List<Path> folders = new ArrayList<>(List.of(plugins));
        extraPlugins.stream().filter(folder -> !folder.equals(plugins)).forEach(folders::add);
        return folders;
    }

    /** The extra folders as {@value #PLUGINS_PATH} lists them, for the JVMs a command starts. */
    public String extraPluginsPath() {
        return String.join(":", extraPlugins.stream().map(Path::toString).toList());
    }

    /** Where runs write their checkpoints ({@code <experiment>/<run id>/epoch-NNN.zip}). */
    public Path checkpoints() {
        return home.resolve("checkpoints");
    }

    /** Where each run's tracking journal is written ({@code <run id>.jsonl}, {@code <run id>.shipped}). */
    public Path journal() {
        return home.resolve("journal");
    }

    /**
     * A run's checkpoint folder: the path itself if it is a folder, else the folder named by the run id under any
     * experiment's checkpoints.
     *
     * @throws DataException if there is no such folder (or the id is ambiguous)
     */
    public Path runFolder(String runIdOrFolder) throws IOException {
        Path given = Path.of(runIdOrFolder);
        if (Files.isDirectory(given)) {
            return given;
        }
        List<Path> matches;
        try (Stream<Path> experiments = Files.isDirectory(checkpoints()) ? Files.list(checkpoints())
                : Stream.empty()) {
            matches = experiments.map(experiment -> experiment.resolve(runIdOrFolder)).filter(Files::isDirectory)
                    .toList();
        }
        if (matches.size() != 1) {
            throw new DataException("no run folder " + runIdOrFolder + " under " + checkpoints()
                    + (matches.isEmpty() ? "" : " (found " + matches.size() + ")") + " and no sweep " + runIdOrFolder
                    + " under " + sweeps() + ": give the run id printed as 'MLflow run: .../runs/<id>' (or "
                    + "'MLflow sweep: ...' for a sweep) or the run's folder, and set POOLLAB_HOME if the run used "
                    + "another");
        }
        return matches.get(0);
    }

    /** Where each sweep keeps its experiment file and overrides ({@code <parent run id>/}) so it can be resumed. */
    public Path sweeps() {
        return home.resolve("sweeps");
    }

    /** Where {@code poollab eval} keeps each evaluation run's files ({@code <run id>/}, e.g. its attention grid). */
    public Path evaluations() {
        return home.resolve("evaluations");
    }

    /** Where the JVMs of a parallel sweep write their console output. */
    public Path logs() {
        return home.resolve("logs");
    }

    /** The MLflow server's folder (database, artifacts, state). */
    public Path mlflowHome() {
        return home.resolve("mlflow");
    }

    /**
     * The MLflow server a run logs to: the experiment's {@code tracking.uri}, else {@code MLFLOW_TRACKING_URI},
     * else the project's local server (started if it is not running).
     */
    public String trackingUri(TrackingConfig tracking) {
        if (tracking.uri() != null) {
            return tracking.uri();
        }
        return new LocalMlflowServer(mlflowHome(), mlflowExecutable()).environmentOrLocal();
    }

    /** The {@code mlflow} command of the project's virtualenv. */
    public Path mlflowExecutable() {
        return home.resolve("venv/bin/mlflow");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

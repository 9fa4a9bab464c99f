package org.poollab.run;

import java.nio.file.Path;

/**
 * Where PoolLab keeps things, overridable by environment variables.
 *
 * @param home project-local state ({@code POOLLAB_HOME}, default {@code .poollab}): MLflow server, virtualenv
 * @param plugins the plugins directory ({@code POOLLAB_PLUGINS_DIR}, default {@code target/plugins})
 */
public record ProjectPaths(Path home, Path plugins) {

    /** From the environment, relative to the working directory. */
    public static ProjectPaths fromEnvironment() {
        return new ProjectPaths(Path.of(env("POOLLAB_HOME", ".poollab")).toAbsolutePath(),
                Path.of(env("POOLLAB_PLUGINS_DIR", "target/plugins")).toAbsolutePath());
    }

    /** Where runs write their checkpoints ({@code <experiment>/<run id>/epoch-NNN.zip}). */
    public Path checkpoints() {
        return home.resolve("checkpoints");
    }

    /** Where each run's tracking journal is written ({@code <run id>.jsonl}, {@code <run id>.shipped}). */
    public Path journal() {
        return home.resolve("journal");
    }

    /** The MLflow server's folder (database, artifacts, state). */
    public Path mlflowHome() {
        return home.resolve("mlflow");
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

package org.poollab.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the built project, as the launcher lays them out. */
final class Project {

    static final Path ROOT = Path.of(System.getProperty("poollab.root", "../..")).toAbsolutePath().normalize();
    static final Path PLUGINS = ROOT.resolve("target/plugins");
    static final Path CORE = ROOT.resolve("framework/core/target");

    private Project() {
    }

    /** The project's MLflow executable (created by ./poollab setup / test). */
    static Path mlflow() {
        String home = System.getenv("POOLLAB_HOME");
        Path base = home == null ? ROOT.resolve(".poollab") : Path.of(home);
        Path exe = base.resolve("venv/bin/mlflow");
        if (!Files.isExecutable(exe)) {
            throw new IllegalStateException("no mlflow at " + exe + "; run the tests through ./poollab test");
        }
        return exe;
    }
}

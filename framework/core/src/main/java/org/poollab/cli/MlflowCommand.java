package org.poollab.cli;

import java.util.concurrent.Callable;
import org.poollab.run.ProjectPaths;
import org.poollab.tracking.LocalMlflowServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code poollab mlflow [start|stop]}: the project-local MLflow server and its UI address. */
@Command(name = "mlflow", description = "Start (default) or stop the project-local MLflow server; prints the UI URL.")
final class MlflowCommand implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "start", description = "start or stop")
    String action;

    @Override
    public Integer call() {
        ProjectPaths paths = ProjectPaths.fromEnvironment();
        LocalMlflowServer server = new LocalMlflowServer(paths.mlflowHome(), paths.mlflowExecutable());
        if (action.equals("stop")) {
            server.stop();
            System.out.println("MLflow server stopped.");
        } else {
            System.out.println("MLflow UI: " + server.ensureRunning());
        }
        return 0;
    }
}

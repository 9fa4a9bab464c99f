package org.poollab.cli;

import java.util.concurrent.Callable;
import org.poollab.run.ProjectPaths;
import org.poollab.run.RunRecord;
import org.poollab.tracking.LocalMlflowServer;
import org.poollab.tracking.MlflowRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code poollab mlflow [start|stop|sync]}: the project-local MLflow server, its UI address, journal replay. */
@Command(name = "mlflow", description = "Start (default) or stop the project-local MLflow server and print the UI "
        + "URL; 'sync' sends what runs journalled while the server was away.")
final class MlflowCommand implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "start", description = "start, stop or sync")
    String action;

    @Override
    public Integer call() throws Exception {
        ProjectPaths paths = ProjectPaths.fromEnvironment();
        LocalMlflowServer server = new LocalMlflowServer(paths.mlflowHome(), paths.mlflowExecutable());
        if (action.equals("stop")) {
            System.out.println(server.stop());
        } else if (action.equals("sync")) {
            long unsent = MlflowRun.sendJournals(server.environmentOrLocal(), paths.journal(), System.out);
            RunRecord.settleAll(paths.checkpoints(), System.out); // and mark runs a SIGKILL left RUNNING
            return unsent == 0 ? 0 : 1;
        } else if (!action.equals("start")) {
            System.err.println("poollab mlflow: unknown action '" + action + "'; use start, stop or sync");
            return 2;
        } else {
            System.out.println("MLflow UI: " + server.ensureRunning());
        }
        return 0;
    }
}

package org.poollab.cli;

import java.util.concurrent.Callable;
import org.poollab.run.ProjectPaths;
import org.poollab.run.SweepControl;
import org.poollab.slurm.Slurm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code poollab status <sweep id>}: each point's MLflow status, Slurm state and latest metric. */
@Command(name = "status", description = "Show a sweep's points: MLflow status and run, the Slurm task's state (for "
        + "a sweep submitted with --executor slurm) and the latest metric.")
final class StatusCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SWEEP", description = "the sweep's parent run id")
    String sweep;

    @Override
    public Integer call() {
        new SweepControl(ProjectPaths.fromEnvironment(), new Slurm(), System.out).status(sweep);
        return 0;
    }
}

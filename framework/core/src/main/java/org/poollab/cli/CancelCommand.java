package org.poollab.cli;

import java.util.concurrent.Callable;
import org.poollab.run.ProjectPaths;
import org.poollab.run.SweepControl;
import org.poollab.slurm.Slurm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code poollab cancel <sweep id>}: scancel a sweep's job array and mark its running runs KILLED. */
@Command(name = "cancel", description = "Cancel a sweep submitted with --executor slurm: scancel its job array and "
        + "mark its running points and the sweep KILLED in MLflow.")
final class CancelCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SWEEP", description = "the sweep's parent run id")
    String sweep;

    @Override
    public Integer call() {
        new SweepControl(ProjectPaths.fromEnvironment(), new Slurm(), System.out).cancel(sweep);
        return 0;
    }
}

package org.poollab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.poollab.report.Report;
import org.poollab.run.PathSegment;
import org.poollab.run.ProjectPaths;
import org.poollab.tracking.LocalMlflowServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code poollab report <experiment> [--out DIR]}. */
@Command(name = "report", description = "Write reports/<experiment>/index.html and report.md from the experiment's "
        + "runs in MLflow: runs table, mean ± sd over seeds, k-NN bars, training curves, attention grids.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "the MLflow experiment name (the YAML's "
            + "'experiment:' key)")
    String experiment;

    @Option(names = "--out", description = "the report folder (default: reports/<experiment>, the name as one "
            + "folder: team/exp becomes team%%2Fexp)")
    Path folder;

    @Option(names = "--filter", description = "an MLflow search filter selecting the runs, e.g. "
            + "\"attributes.status = 'FINISHED'\" or \"params.seed = '0'\" (default: every run)")
    String filter = "";

    @Option(names = "--debug", description = "print stack traces of errors")
    boolean debug;

    @Override
    public Integer call() throws Exception {
        ProjectPaths paths = ProjectPaths.fromEnvironment();
        String uri = new LocalMlflowServer(paths.mlflowHome(), paths.mlflowExecutable()).environmentOrLocal();
        Path index = new Report(uri, System.out).write(experiment, filter,
                folder != null ? folder : Path.of("reports", PathSegment.of(experiment)));
        System.out.println("written: " + index);
        return 0;
    }
}

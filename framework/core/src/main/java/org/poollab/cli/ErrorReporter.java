package org.poollab.cli;

import org.poollab.config.ConfigException;
import org.poollab.data.DataException;
import org.poollab.model.IncompatibleComponentsException;
import org.poollab.plugin.PluginFailureException;
import org.poollab.plugin.PluginLoadException;
import org.poollab.run.MemoryLimitException;
import org.poollab.run.SweepFailedException;
import org.poollab.slurm.SlurmException;
import org.poollab.tracking.TrackingException;
import org.poollab.train.NonFiniteLossException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into one paragraph on stderr and an exit code: 2 for bad input (experiment file, data, plugins),
 * 1 for failures while running. Stack traces only with {@code --debug}.
 */
final class ErrorReporter implements IExecutionExceptionHandler {

    /** Exit code for input the user must fix. */
    static final int BAD_INPUT = 2;
    /** Exit code for a run that failed. */
    static final int RUN_FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        boolean debug = parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--debug");
        if (debug) {
            e.printStackTrace(System.err);
        }
        String kind;
        int code = BAD_INPUT;
        if (e instanceof ConfigException) {
            kind = "invalid experiment";
        } else if (e instanceof DataException) {
            kind = "data";
        } else if (e instanceof PluginLoadException) {
            kind = "plugins";
        } else if (e instanceof PluginFailureException) {
            kind = "plugin";
        } else if (e instanceof IncompatibleComponentsException) {
            kind = "incompatible components";
        } else if (e instanceof SlurmException) {
            kind = "Slurm";
        } else if (e instanceof TrackingException) {
            kind = "MLflow";
        } else if (e instanceof SweepFailedException) {
            kind = "sweep";
            code = RUN_FAILED;
        } else if (e instanceof NonFiniteLossException) {
            kind = "training diverged";
            code = RUN_FAILED;
        } else if (e instanceof MemoryLimitException) {
            kind = "memory";
            code = RUN_FAILED;
        } else {
            kind = "run failed (" + e.getClass().getSimpleName() + ")";
            code = RUN_FAILED;
        }
        System.err.println("poollab: " + kind + ": " + e.getMessage()
                + (debug ? "" : " (add --debug for the stack trace)"));
        return code;
    }

    static int usageError(ParameterException e, String[] args) {
        System.err.println("poollab: " + e.getMessage());
        e.getCommandLine().usage(System.err);
        return BAD_INPUT;
    }
}

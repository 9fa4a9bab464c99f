package org.poollab.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code poollab <command>}: the command-line entry point; {@code --help} works on every command. */
@Command(name = "poollab", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        version = "PoolLab 0.1.0",
        description = "Research on pooling: SimPool, GAP, [CLS] and more as plugins; YAML experiments; MLflow.",
        subcommands = {RunCommand.class, ResumeCommand.class, ValidateCommand.class, BenchCommand.class,
                AttentionCommand.class, ReportCommand.class, PluginsCommand.class, MlflowCommand.class,
                DataCommand.class, CommandLine.HelpCommand.class})
public final class PoolLab implements Callable<Integer> {

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        PrintStream stdout = System.out;
        // SameDiff prints one "Added differentiated op" line per op to stdout while building gradients.
        System.setOut(new QuietStdout(stdout));
        int code = new CommandLine(new PoolLab())
                .setExecutionExceptionHandler(new ErrorReporter())
                .setParameterExceptionHandler(ErrorReporter::usageError)
                .execute(args);
        System.exit(code);
    }
}

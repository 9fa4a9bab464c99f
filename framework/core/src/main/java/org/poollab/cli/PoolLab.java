package org.poollab.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.poollab.model.MatrixUnits;
import org.poollab.run.ProjectPaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code poollab <command>}: the command-line entry point; {@code --help} works on every command. */
@Command(name = "poollab", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        version = "PoolLab 0.1.0",
        description = "Research on pooling: SimPool, GAP, [CLS] and more as plugins; YAML experiments; MLflow.",
        subcommands = {RunCommand.class, ResumeCommand.class, ValidateCommand.class, BenchCommand.class,
                AttentionCommand.class, EvalCommand.class, EmbedCommand.class, ImportCommand.class,
                ExportCommand.class, ReportCommand.class, PluginsCommand.class, MlflowCommand.class,
                DataCommand.class, NewPluginCommand.class, StatusCommand.class, CancelCommand.class,
                CommandLine.HelpCommand.class})
public final class PoolLab implements Callable<Integer> {

    @Option(names = "--plugins", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "also load the plugin jars of DIR (repeatable), beside POOLLAB_PLUGINS_DIR and the "
                    + "folders of POOLLAB_PLUGINS_PATH (separated by ':')")
    List<Path> extraPlugins = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        // Before ND4J's natives run anything: oneDNN reads its ISA limit once (trainer.precision: bf16-matmul).
        MatrixUnits.enable();
        PrintStream stdout = System.out;
        // SameDiff prints one "Added differentiated op" line per op to stdout while building gradients.
        System.setOut(new QuietStdout(stdout));
        PoolLab root = new PoolLab();
        int code = new CommandLine(root)
                .setExecutionStrategy(parsed -> {
                    // --plugins is an option of every command: hand its folders to ProjectPaths before any runs.
                    System.setProperty(ProjectPaths.PLUGINS_PROPERTY, String.join(":",
                            root.extraPlugins.stream().map(Path::toString).toList()));
                    return new CommandLine.RunLast().execute(parsed);
                })
                .setExecutionExceptionHandler(new ErrorReporter())
                .setParameterExceptionHandler(ErrorReporter::usageError)
                .execute(args);
        System.exit(code);
    }
}

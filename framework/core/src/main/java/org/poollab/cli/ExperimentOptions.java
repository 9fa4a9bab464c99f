package org.poollab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.poollab.config.ConfigException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The experiment file, overrides and --debug shared by run and validate. */
final class ExperimentOptions {

    @Parameters(index = "0", arity = "0..1", paramLabel = "EXPERIMENT", description = "experiment YAML file")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a key, e.g. trainer.epochs=2")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--debug", description = "print stack traces of errors")
    boolean debug;

    /**
     * The experiment file.
     *
     * @throws ConfigException when none was given
     */
    Path file() {
        if (file == null) {
            throw new ConfigException("", "no experiment file given; pass one, e.g. experiments/quickstart.yaml");
        }
        return file;
    }
}

package org.poollab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.poollab.scaffold.PluginScaffold;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code poollab new-plugin pooling|backbone NAME [--dir DIR]}: a standalone Maven project for a new plugin. */
@Command(name = "new-plugin", description = "Write a standalone Maven project for a new pooling or backbone plugin: "
        + "the @Extension class (a working attention pooling in the three StagedPooling steps, or a patch-embedding "
        + "backbone, to change), a test that runs PoolLab's contract, a README; 'mvn -q package' in it builds "
        + "target/plugins/NAME.jar.")
final class NewPluginCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "KIND", description = "pooling or backbone")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME", description = "the plugin's id, e.g. my-pool")
    String name;

    @Option(names = "--dir", paramLabel = "DIR", description = "the project folder (default: ./NAME); must be new "
            + "or empty")
    Path dir;

    @Override
    public Integer call() {
        PluginScaffold.Kind pluginKind = switch (kind) {
            case "pooling" -> PluginScaffold.Kind.POOLING;
            case "backbone" -> PluginScaffold.Kind.BACKBONE;
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "KIND is '" + kind
                    + "' but must be pooling or backbone");
        };
        PluginScaffold scaffold;
        try {
            scaffold = new PluginScaffold(pluginKind, name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        Path folder = dir != null ? dir : Path.of(name);
        try {
            scaffold.write(folder).forEach(file -> System.out.println("written: " + file));
        } catch (IllegalStateException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        System.out.println("next: cd " + folder + " && mvn -q package   (builds target/plugins/" + name + ".jar and "
                + "runs the contract test); then ./poollab run EXPERIMENT.yaml --plugins " + folder.toAbsolutePath()
                .resolve("target/plugins") + " with " + pluginKind.word() + ": {id: " + name + "}");
        return 0;
    }
}

package org.poollab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.poollab.scaffold.PoolingScaffold;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code poollab new-plugin pooling NAME [--dir DIR]}: a standalone Maven project for a new pooling. */
@Command(name = "new-plugin", description = "Write a standalone Maven project for a new pooling plugin: the "
        + "@Extension class with the three StagedPooling steps (a working attention pooling to change), a test that "
        + "runs PoolLab's contract, a README; 'mvn -q package' in it builds target/plugins/NAME.jar.")
final class NewPluginCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "KIND", description = "pooling")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME", description = "the plugin's id, e.g. my-pool")
    String name;

    @Option(names = "--dir", paramLabel = "DIR", description = "the project folder (default: ./NAME); must be new "
            + "or empty")
    Path dir;

    @Override
    public Integer call() {
        if (!kind.equals("pooling")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "KIND '" + kind + "': only 'pooling' "
                    + "projects are scaffolded so far; a backbone plugin starts from plugins/vit in this repository");
        }
        PoolingScaffold scaffold;
        try {
            scaffold = new PoolingScaffold(name);
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
                .resolve("target/plugins") + " with pooling: {id: " + name + "}");
        return 0;
    }
}

package org.poollab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.poollab.interop.CheckpointImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code poollab import FILE --backbone ID [--preset P] [--pooling ID] [--key K] --out CKPT}. */
@Command(name = "import", description = "Read a PyTorch checkpoint (.pth/.pt, read without Python) or a "
        + ".safetensors file of DINO's, the SimPool authors', timm's or torchvision's ViT / ResNet and write it as a "
        + "PoolLab checkpoint that eval, embed, attention and export accept. Lists what it mapped and the names it "
        + "did not use.")
final class ImportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the checkpoint to read")
    Path file;

    @Option(names = "--backbone", paramLabel = "ID", description = "the backbone plugin, e.g. vit or resnet (not "
            + "needed for a file written by 'poollab export')")
    String backbone;

    @Option(names = "--preset", paramLabel = "P", description = "the backbone preset, e.g. small (ViT-S/16) or "
            + "resnet50")
    String preset;

    @Option(names = "--pooling", paramLabel = "ID", description = "the pooling plugin: simpool for the SimPool "
            + "authors' models, cls for DINO's official ones (default: the config's, simpool)")
    String pooling;

    @Option(names = "--key", paramLabel = "K", description = "the checkpoint key holding the model: teacher, "
            + "student, model, state_dict, ... (default: the first of teacher, model, state_dict, student present, or "
            + "the top level)")
    String key;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "any other config key, e.g. "
            + "pooling.params.gamma=2.0, data.path=/data/imagenet")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "CKPT", required = true, description = "the PoolLab checkpoint to write "
            + "(.zip)")
    Path out;

    @Option(names = "--debug", description = "print stack traces of errors")
    boolean debug;

    @Override
    public Integer call() throws IOException {
        List<String> settings = new ArrayList<>();
        if (backbone != null) {
            settings.add("backbone.id=" + backbone);
        }
        if (preset != null) {
            settings.add("backbone.preset=" + preset);
        }
        if (pooling != null) {
            settings.add("pooling.id=" + pooling);
        }
        settings.addAll(overrides);
        try (Environment environment = new Environment()) {
            new CheckpointImporter(environment.registry, System.out).importFile(file, key, settings, out);
        }
        return 0;
    }
}

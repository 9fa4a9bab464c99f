package org.poollab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import org.poollab.config.ConfigException;
import org.poollab.interop.CheckpointExporter;
import org.poollab.run.CheckpointModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code poollab export (--run ID | --checkpoint F) --out FILE.safetensors [--names dino|timm]}. */
@Command(name = "export", description = "Write a checkpoint's backbone + pooling (DINO: the teacher) as a "
        + ".safetensors state dict in the reference code's names, for load_state_dict in PyTorch.")
final class ExportCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    CheckpointSource source;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the .safetensors file to write")
    Path out;

    @Option(names = "--names", paramLabel = "LAYOUT", description = "name layout: ${COMPLETION-CANDIDATES} "
            + "(identical for the shipped ViT and ResNet, whose names DINO, timm and torchvision share; default: "
            + "${DEFAULT-VALUE})", completionCandidates = Layouts.class)
    String names = "dino";

    @Option(names = "--debug", description = "print stack traces of errors")
    boolean debug;

    /** The layouts, for the help text. */
    static final class Layouts extends ArrayList<String> {
        Layouts() {
            super(CheckpointExporter.LAYOUTS);
        }
    }

    @Override
    public Integer call() throws IOException {
        if (!CheckpointExporter.LAYOUTS.contains(names)) {
            throw new ConfigException("--names", "is '" + names + "' but must be one of "
                    + CheckpointExporter.LAYOUTS);
        }
        new CheckpointExporter(System.out).export(CheckpointModel.read(source.file()), names, out);
        return 0;
    }
}

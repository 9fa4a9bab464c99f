package org.poollab.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.poollab.run.CheckpointEvaluation;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code poollab eval --checkpoint F [--set data.path=...] [--knn] [--linear]}: evaluation without training. */
@Command(name = "eval", description = "Evaluate a checkpoint's model (trained here or imported) without training, "
        + "as its own MLflow run: k-NN and/or the linear probe on frozen features, and the attention map's Jaccard "
        + "and grid where the test set has masks.")
final class EvalCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    CheckpointSource source;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "change the checkpoint's config for this "
            + "evaluation, e.g. data.path=/data/imagenet, eval.knn.k=[20], eval.linear.epochs=50")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--knn", description = "k-NN (eval.knn); the default when neither --knn nor --linear is given")
    boolean knn;

    @Option(names = "--linear", description = "the linear probe (eval.linear, its defaults if the config has none); "
            + "without --knn, the probe alone. Default: as the config says")
    boolean linear;

    @Option(names = "--debug", description = "print stack traces of errors")
    boolean debug;

    @Override
    public Integer call() throws IOException {
        try (Environment environment = new Environment()) {
            new CheckpointEvaluation(environment.registry, environment.paths, System.out)
                    .run(source.file(), overrides, new CheckpointEvaluation.Protocols(knn, linear));
        }
        return 0;
    }
}

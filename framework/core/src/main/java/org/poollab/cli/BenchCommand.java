package org.poollab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.graph.Layers;
import org.poollab.bench.ThroughputBenchmark;
import org.poollab.config.ExperimentConfig;
import org.poollab.config.ExperimentLoader;
import org.poollab.data.DataSource;
import org.poollab.model.ModelGraph;
import org.poollab.run.ExperimentRunner;
import org.poollab.run.NativeBuild;
import org.poollab.train.SupervisedTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code poollab bench [x.yaml]}: training and inference throughput of an experiment's model, no MLflow. */
@Command(name = "bench", description = "Measure training and inference img/s and peak memory of an experiment's "
        + "model on real batches (nothing is logged).")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "EXPERIMENT",
            description = "experiment YAML file (default: experiments/quickstart.yaml)")
    Path file = Path.of("experiments/quickstart.yaml");

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a key, e.g. trainer.batchSize=256")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--steps", description = "timed training steps (default: ${DEFAULT-VALUE})")
    int steps = 20;

    @Option(names = "--warmup", description = "untimed steps first (default: ${DEFAULT-VALUE})")
    int warmup = 5;

    @Option(names = "--profile", description = "print the training steps' time per op type")
    boolean profile;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig config = ExperimentLoader.plan(file, overrides).points().get(0).config();
        try (Environment environment = new Environment()) {
            DataSource data = DataSource.load(config.data(), config.seed());
            Nd4j.getRandom().setSeed(config.seed());
            ModelGraph model = ModelGraph.build(ExperimentRunner.resolve(environment.registry, config),
                    DataType.FLOAT, config.seed());
            System.out.println("natives: " + NativeBuild.current());
            SupervisedTrainer trainer = new SupervisedTrainer(environment.injector.getInstance(Layers.class),
                    System.err); // the bench measures the supervised step of the experiment's model
            new ThroughputBenchmark(trainer, System.out).run(config, model, data.train(), warmup, steps, profile);
        }
        return 0;
    }
}

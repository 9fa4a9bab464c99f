package org.poollab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.graph.Layers;
import org.poollab.api.graph.Precision;
import org.poollab.bench.BenchReport;
import org.poollab.bench.InputPipelineBenchmark;
import org.poollab.bench.PairStepTimer;
import org.poollab.bench.StepTimer;
import org.poollab.bench.SupervisedStepTimer;
import org.poollab.bench.ThroughputBenchmark;
import org.poollab.config.ExperimentConfig;
import org.poollab.config.ExperimentLoader;
import org.poollab.data.DataSource;
import org.poollab.data.ImageSet;
import org.poollab.model.MatrixUnits;
import org.poollab.model.ModelGraph;
import org.poollab.model.ModelSpec;
import org.poollab.run.MemoryLimitException;
import org.poollab.run.NativeBuild;
import org.poollab.run.RunProvenance;
import org.poollab.train.SupervisedTrainer;
import org.poollab.train.dino.DinoPair;
import org.poollab.train.mocov3.MocoPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code poollab bench [x.yaml]}: training and inference throughput of an experiment's model, no MLflow. */
@Command(name = "bench", description = "Measure training and inference img/s at each batch size, k-NN time and "
        + "peak memory of an experiment's model on real batches; print a table and write JSON (no MLflow).")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "EXPERIMENT",
            description = "experiment YAML file (default: experiments/quickstart.yaml)")
    Path file = Path.of("experiments/quickstart.yaml");

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a key, e.g. trainer.batchSize=256")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--steps", description = "timed training steps (default: ${DEFAULT-VALUE})")
    int steps = 20;

    @Option(names = "--warmup", description = "untimed steps first, at least 1 (default: ${DEFAULT-VALUE})")
    int warmup = 5;

    @Option(names = "--profile", description = "print the training steps' time per op type")
    boolean profile;

    @Option(names = "--input-only", description = "measure only the input pipeline: training images/s that the "
            + "data section delivers (decode, crop, augment) with no model")
    boolean inputOnly;

    @Option(names = "--batches", split = ",", description = "batch sizes to measure (default: ${DEFAULT-VALUE})")
    List<Integer> batchSizes = new ArrayList<>(List.of(64, 256));

    @Option(names = "--json", description = "where to write the numbers (default: reports/bench/<experiment>-"
            + "<time>.json)")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (warmup < 1 || steps < 1) {
            System.err.println("poollab bench: --warmup and --steps must be at least 1 (the first timed step is "
                    + "measured from the end of the last warm-up step)");
            return 2;
        }
        ExperimentConfig config = ExperimentLoader.plan(file, overrides).points().get(0).config();
        if (inputOnly) {
            ImageSet train = DataSource.load(config.data(), config.seed(), System.err).train();
            Map<String, Double> numbers = new InputPipelineBenchmark(System.out).run(config, train, batchSizes,
                    warmup, steps);
            write(config, numbers);
            return 0;
        }
        try (Environment environment = new Environment()) {
            DataSource data = DataSource.load(config.data(), config.seed(), System.err);
            Nd4j.getRandom().setSeed(config.seed());
            ModelSpec spec = ModelSpec.resolve(environment.registry, config);
            List<ModelGraph> replicas = new ArrayList<>();
            Precision precision = MatrixUnits.effective(config.trainer().precision());
            for (int r = 0; r < config.trainer().replicaCount(); r++) {
                replicas.add(ModelGraph.build(spec, DataType.FLOAT, config.seed(), precision));
            }
            ModelGraph model = replicas.get(0);
            String natives = NativeBuild.current();
            System.out.println("natives: " + natives + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS")
                    + ", replicas: " + replicas.size() + ", matrix products: " + precision.id());
            Layers layers = environment.injector.getInstance(Layers.class);
            int totalSteps = batchSizes.size() * (warmup + steps);
            StepTimer timer = switch (config.trainer().kind()) {
                case DINO -> {
                    DinoPair pair = DinoPair.build(spec, layers, config, spec.input(), totalSteps,
                            replicas.size());
                    yield new PairStepTimer(pair, pair.studentGraph(), data.train(), (first, count, batches, done) ->
                            pair.run(first, count, batches, (step, loss, images, targets, m) -> done.accept(step)));
                }
                case MOCOV3 -> {
                    MocoPair pair = MocoPair.build(spec, layers, config, spec.input(), totalSteps);
                    yield new PairStepTimer(pair, pair.baseGraph(), data.train(), (first, count, batches, done) ->
                            pair.run(first, count, batches, (step, loss, images, outputs, m) -> done.accept(step)));
                }
                case SUPERVISED -> new SupervisedStepTimer(new SupervisedTrainer(layers, System.err), config,
                        replicas, data.train(), totalSteps);
            };
            System.out.println("trainer: " + config.trainer().id() + ", model: " + spec.backboneId() + " + "
                    + spec.poolingId());
            Map<String, Double> numbers;
            try {
                numbers = new ThroughputBenchmark(System.out)
                        .run(config, model, data.train(), timer, batchSizes, warmup, steps, profile);
            } catch (OutOfMemoryError e) {
                throw new MemoryLimitException(e);
            }
            write(config, numbers);
        }
        return 0;
    }

    /** Writes the numbers with the run's context as JSON, and says where. */
    private void write(ExperimentConfig config, Map<String, Double> numbers) throws IOException {
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path target = json != null ? json : Path.of("reports", "bench", config.experiment() + "-" + time + ".json");
        Map<String, String> context = new LinkedHashMap<>();
        context.put("experiment", config.experiment());
        context.put("file", file.toString());
        context.put("overrides", String.join(" ", overrides));
        context.put("time", time);
        context.putAll(RunProvenance.environment()); // the same keys as a run's tags
        BenchReport.write(target, context, numbers);
        System.out.println("written: " + target);
    }
}

package org.poollab.run;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.backbone.ImageShape;
import org.poollab.config.ExperimentConfig;
import org.poollab.data.FashionMnist;
import org.poollab.data.ImageDataset;
import org.poollab.model.ModelGraph;
import org.poollab.model.ModelSpec;
import org.poollab.plugin.ComponentRegistry;
import org.poollab.plugin.Registered;
import org.poollab.tracking.LocalMlflowServer;
import org.poollab.tracking.MlflowRun;
import org.poollab.train.SupervisedTrainer;

/** Runs one experiment end to end: plugins → model → data → training → k-NN → MLflow. */
public final class ExperimentRunner {

    private final ComponentRegistry registry;
    private final SupervisedTrainer trainer;
    private final ProjectPaths paths;
    private final PrintStream out;

    /**
     * @param registry the loaded plugins
     * @param trainer the supervised trainer
     * @param paths project folders
     * @param out where results are printed (stdout)
     */
    public ExperimentRunner(ComponentRegistry registry, SupervisedTrainer trainer, ProjectPaths paths,
                            PrintStream out) {
        this.registry = registry;
        this.trainer = trainer;
        this.paths = paths;
        this.out = out;
    }

    /** Resolves the components of a config without running anything ({@code poollab validate}). */
    public ModelSpec validate(ExperimentConfig config) {
        return ModelSpec.resolve(registry, config.backbone(), config.pooling(),
                new ImageShape(1, 28, 28));
    }

    /**
     * Runs the experiment and prints its final metrics one per line and the MLflow run URL.
     *
     * @return the final metrics
     */
    public Map<String, Double> run(ExperimentConfig config, Path experimentFile) throws InterruptedException {
        ModelSpec spec = validate(config);
        ImageDataset train = subset(FashionMnist.train(config.data().path()), config.data().trainSubset(),
                config.seed());
        ImageDataset test = subset(FashionMnist.test(config.data().path()), config.data().testSubset(),
                config.seed() + 1);
        String uri = trackingUri(config);
        out.println("MLflow: " + uri);
        try (MlflowRun run = MlflowRun.start(uri, config.experiment(), runName(config))) {
            Map<String, String> params = new LinkedHashMap<>(config.flattened());
            params.putAll(spec.flattenedParams());
            run.logParams(params);
            run.setTags(tags(config));
            run.logArtifact(experimentFile, "config/" + experimentFile.getFileName());
            try {
                Nd4j.getRandom().setSeed(config.seed());
                ModelGraph model = ModelGraph.build(spec, DataType.FLOAT, config.seed());
                Map<String, Double> metrics = trainer.train(model, train, test, config, run);
                run.finish();
                metrics.forEach((k, v) -> out.printf(java.util.Locale.ROOT, "%s = %.2f%n", k, v));
                out.println("MLflow run: " + run.url());
                return metrics;
            } catch (RuntimeException | InterruptedException e) {
                run.fail(String.valueOf(e.getMessage()));
                out.println("MLflow run (FAILED): " + run.url());
                throw e;
            }
        }
    }

    private String trackingUri(ExperimentConfig config) {
        if (config.tracking().uri() != null) {
            return config.tracking().uri();
        }
        String fromEnv = System.getenv("MLFLOW_TRACKING_URI");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        return new LocalMlflowServer(paths.mlflowHome(), paths.mlflowExecutable()).ensureRunning();
    }

    private Map<String, String> tags(ExperimentConfig config) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("trainer", config.trainer().id());
        for (Registered<?> component : registry.all()) {
            if (component.component().id().equals(config.pooling().id()) && component.kind().equals("pooling")
                    || component.component().id().equals(config.backbone().id())
                    && component.kind().equals("backbone")) {
                tags.put("plugin." + component.kind(), component.pluginId() + "@" + component.pluginVersion());
            }
        }
        tags.put("git.commit", GitCommit.current());
        try {
            tags.put("host", InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            tags.put("host", "unknown");
        }
        tags.put("nd4j.backend", Nd4j.getBackend().getClass().getSimpleName());
        return tags;
    }

    private static String runName(ExperimentConfig config) {
        return config.tracking().runName() != null ? config.tracking().runName()
                : config.pooling().id() + "-" + config.backbone().id() + "-s" + config.seed();
    }

    private static ImageDataset subset(ImageDataset data, Integer count, long seed) {
        return count == null ? data : data.subset(count, seed);
    }
}

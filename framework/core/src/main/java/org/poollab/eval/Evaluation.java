package org.poollab.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.poollab.config.DataConfig;
import org.poollab.config.EvalConfig;
import org.poollab.config.ExperimentConfig;
import org.poollab.data.ImageSet;
import org.poollab.data.Preprocessing;
import org.poollab.model.ModelGraph;

/**
 * docs/method.md §7 end to end: eval-mode features of the train and test sets, extracted once, for the weighted k-NN
 * vote and the optional linear probe, plus the attention-map quality on the test set when the pooling has a map and the
 * test set has object masks.
 */
public final class Evaluation {

    private final EvalConfig config;
    private final DataConfig data;
    private final PrintStream progress;
    private final long seed;

    /**
     * @param experiment its k-NN settings, and its data's normalisation (without augmentation)
     * @param progress where progress bars go
     */
    public Evaluation(ExperimentConfig experiment, PrintStream progress) {
        this.config = experiment.eval();
        this.data = experiment.data();
        this.progress = progress;
        this.seed = experiment.seed();
    }

    /**
     * @return {@code knn_top1_k20} and the like, {@code linear_top1} and {@code linear_top5} (when
     *         {@code eval.linear} is set), and {@code attention_jaccard} (test sets with object masks only), in percent
     */
    public Map<String, Double> evaluate(ModelGraph model, ImageSet train, ImageSet test) {
        return evaluate(model, train, test, true);
    }

    /**
     * As {@link #evaluate(ModelGraph, ImageSet, ImageSet)}, with or without the k-NN scores ({@code poollab eval
     * --linear} asks for the linear probe alone).
     */
    public Map<String, Double> evaluate(ModelGraph model, ImageSet train, ImageSet test, boolean knn) {
        Preprocessing preprocessing = plain(test);
        FeatureExtractor extractor = new FeatureExtractor(config.batchSize(), progress);
        FeatureExtractor.Features trainFeatures = extractor.extract(model, train, preprocessing, "train");
        FeatureExtractor.Features testFeatures = extractor.extract(model, test, preprocessing, "test");
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (knn) {
            config.k().stream().filter(k -> k > train.size()).forEach(k -> progress.printf(Locale.ROOT,
                    "warning: k = %d (eval.knn.k) is more than the %d training images; scored as k = %d%n", k,
                    train.size(), train.size()));
            metrics.putAll(new KnnEvaluator(config.k(), config.temperature(), config.memoryBudgetMb() * 1024L * 1024L)
                    .evaluate(trainFeatures.features(), trainFeatures.labels(), testFeatures.features(),
                            testFeatures.labels(), train.classes()));
        }
        config.linear().ifPresent(linear -> metrics.putAll(new LinearProbe(linear, seed, progress).evaluate(
                trainFeatures.features(), trainFeatures.labels(), testFeatures.features(), testFeatures.labels(),
                train.classes())));
        if (test.hasMasks()) {
            metrics.putAll(new AttentionQuality(config.batchSize(), progress).evaluate(model, test, preprocessing));
        }
        return metrics;
    }

    /**
     * Writes the first {@code images} test images with the model's attention maps as a PNG grid, and a per-head
     * grid next to it when the map has heads ({@link AttentionQuality#render}).
     *
     * @return the PNGs written, the averaged grid first; none when the pooling has no map
     */
    public List<Path> attentionGrid(ModelGraph model, ImageSet test, int images, Path png) throws IOException {
        return new AttentionQuality(config.batchSize(), progress).render(model, test, plain(test), images, png);
    }

    /** Normalisation without augmentation, for images of {@code data}'s channels. */
    private Preprocessing plain(ImageSet images) {
        return Preprocessing.of(data, images.channels(), false);
    }
}

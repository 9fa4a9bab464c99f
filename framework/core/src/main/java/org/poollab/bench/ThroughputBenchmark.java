package org.poollab.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.config.ExperimentConfig;
import org.poollab.data.ImageSet;
import org.poollab.data.Preprocessing;
import org.poollab.eval.FeatureExtractor;
import org.poollab.eval.KnnEvaluator;
import org.poollab.model.ModelGraph;

/**
 * Measures an experiment's model on real batches: its trainer's steps (forward + backward + AdamW; for DINO also
 * the teacher, the EMA and the centre) and evaluation-mode feature extraction at each batch size (medians after
 * warm-up) with the kernel's minor page faults and system time per training step, the k-NN protocol on 60k x 10k
 * features of the model's width, and the process's peak resident memory.
 */
public final class ThroughputBenchmark {

    private static final int KNN_TRAIN = 60_000;
    private static final int KNN_TEST = 10_000;

    private final PrintStream out;

    /** @param out where the table goes */
    public ThroughputBenchmark(PrintStream out) {
        this.out = out;
    }

    /**
     * @param model the model whose evaluation-mode feature extraction is timed
     * @param training times the trainer's steps
     * @param batchSizes the batch sizes to measure
     * @param warmup untimed steps before each measurement
     * @param steps timed training steps (and inference batches) per batch size
     * @param profile whether to print where the training steps' time goes, per op type
     * @return every number, keyed e.g. {@code train_img_per_s_b64}
     */
    public Map<String, Double> run(ExperimentConfig config, ModelGraph model, ImageSet train, StepTimer training,
                                   List<Integer> batchSizes, int warmup, int steps, boolean profile)
            throws InterruptedException {
        OpProfile ops = new OpProfile();
        if (profile) {
            training.graph().addListeners(ops);
        }
        Map<String, Double> results = new LinkedHashMap<>();
        for (int batchSize : batchSizes) {
            Optional<KernelCounters> before = KernelCounters.now();
            double trainStep = median(training.time(batchSize, warmup, steps, ops::record));
            Optional<KernelCounters> kernel = KernelCounters.now().flatMap(after -> before.map(after::since));
            double inference = inferenceRate(config, model, train, batchSize, steps);
            results.put("train_img_per_s_b" + batchSize, batchSize / trainStep);
            results.put("inference_img_per_s_b" + batchSize, inference);
            String perStep = kernel.map(k -> {
                int count = warmup + steps; // the counters cover the warm-up steps too
                results.put("train_minor_faults_per_step_b" + batchSize, (double) k.minorFaults() / count);
                results.put("train_system_ms_per_step_b" + batchSize, k.systemSeconds() * 1e3 / count);
                return String.format(Locale.ROOT, "   per step: %.0f minor faults, %.0f ms system",
                        (double) k.minorFaults() / count, k.systemSeconds() * 1e3 / count);
            }).orElse("");
            out.printf(Locale.ROOT, "batch %4d  train %7.1f ms/step %7.1f img/s   inference %7.1f img/s%s%n",
                    batchSize, trainStep * 1e3, batchSize / trainStep, inference, perStep);
        }
        if (profile) {
            ops.print(out, 25);
        }
        results.put("train_peak_rss_gb", PeakMemory.residentBytes() / 1e9); // before the k-NN's similarity blocks
        double knnSeconds = knnSeconds(config, model.featureDim());
        results.put("knn_60k_x_10k_s", knnSeconds);
        out.printf(Locale.ROOT, "k-NN      %d x %d features of width %d, k = %s: %.1f s%n", KNN_TRAIN, KNN_TEST,
                model.featureDim(), config.eval().k(), knnSeconds);
        double rss = PeakMemory.residentBytes() / 1e9;
        results.put("peak_rss_gb", rss);
        out.printf(Locale.ROOT, "peak RSS  %.2f GB (%.2f GB before the k-NN)%n", rss,
                results.get("train_peak_rss_gb"));
        return results;
    }

    /** Images per second of eval-mode feature extraction, after one warm-up batch. */
    private static double inferenceRate(ExperimentConfig config, ModelGraph model, ImageSet train,
                                        int batchSize, int batches) {
        ImageSet sample = train.subset(Math.min(train.size(), batchSize * batches), config.seed());
        FeatureExtractor extractor = new FeatureExtractor(batchSize, System.err);
        Preprocessing plain = Preprocessing.of(config.data(), train.channels(), false);
        extractor.extract(model, sample.subset(Math.min(sample.size(), batchSize), 1), plain, "warm-up");
        long start = System.nanoTime();
        extractor.extract(model, sample, plain, "timed");
        return sample.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** The k-NN protocol on random unit features of the model's width, as after a full-data evaluation. */
    private static double knnSeconds(ExperimentConfig config, int dim) {
        Nd4j.getRandom().setSeed(config.seed());
        INDArray trainFeatures = Nd4j.randn(DataType.FLOAT, KNN_TRAIN, dim);
        INDArray testFeatures = Nd4j.randn(DataType.FLOAT, KNN_TEST, dim);
        int[] trainLabels = new int[KNN_TRAIN];
        int[] testLabels = new int[KNN_TEST];
        for (int i = 0; i < KNN_TRAIN; i++) {
            trainLabels[i] = i % 10;
        }
        KnnEvaluator knn = new KnnEvaluator(config.eval().k(), config.eval().temperature(),
                config.eval().memoryBudgetMb() * 1024L * 1024L);
        long start = System.nanoTime();
        knn.evaluate(trainFeatures, trainLabels, testFeatures, testLabels, 10);
        return (System.nanoTime() - start) / 1e9;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}

package org.poollab.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.poollab.api.backbone.ImageShape;
import org.poollab.config.DataConfig;
import org.poollab.config.ExperimentConfig;
import org.poollab.data.BackgroundBatches;
import org.poollab.data.ImageSet;
import org.poollab.data.Preprocessing;
import org.poollab.data.SampleWorkers;
import org.poollab.data.TrainingBatches;
import org.poollab.data.augment.MultiCrop;
import org.poollab.data.augment.MultiCropBatches;
import org.poollab.train.dino.DinoPair;
import org.poollab.train.mocov3.MocoPair;

/**
 * The input pipeline alone: how many training images per second the experiment's data section delivers (decode,
 * crop, augment, normalise, for the supervised trainer's batches or DINO's multi-crop), with no model consuming
 * them. The batches are taken as fast as they come, so each interval is the time to make one batch; the median
 * interval after the warm-up gives the rate.
 */
public final class InputPipelineBenchmark {

    private final PrintStream out;

    /** @param out where the table goes */
    public InputPipelineBenchmark(PrintStream out) {
        this.out = out;
    }

    /**
     * @param warmup batches made before timing (the JIT, the cache, the prefetch queue filling)
     * @param steps timed batches
     * @return {@code input_img_per_s_b<batch>} per batch size
     */
    public Map<String, Double> run(ExperimentConfig config, ImageSet train, List<Integer> batchSizes, int warmup,
                                   int steps) throws InterruptedException {
        DataConfig data = config.data();
        Map<String, Double> numbers = new LinkedHashMap<>();
        out.printf(Locale.ROOT, "input pipeline: %s, %d worker(s), %s%n", data.dataset(), data.workerThreads(),
                switch (config.trainer().kind()) {
                    case SUPERVISED -> "supervised " + data.trainCrop() + " crop";
                    case DINO -> "DINO multi-crop";
                    case MOCOV3 -> "MoCo v3 two views";
                });
        out.println("batch  img/s (median of " + steps + " batches)");
        for (int batchSize : batchSizes) {
            double[] seconds = new double[steps];
            int made = 0;
            for (int epoch = 0; made < warmup + steps; epoch++) {
                try (BackgroundBatches<?> batches = batches(config, train, batchSize, epoch)) {
                    long last = System.nanoTime();
                    for (int step = 0; step < batches.steps() && made < warmup + steps; step++, made++) {
                        batches.next();
                        long now = System.nanoTime();
                        if (made >= warmup) {
                            seconds[made - warmup] = (now - last) / 1e9;
                        }
                        last = now;
                    }
                }
            }
            double rate = Math.min(batchSize, train.size()) / ThroughputBenchmark.median(seconds);
            out.printf(Locale.ROOT, "%5d  %8.1f%n", batchSize, rate);
            numbers.put("input_img_per_s_b" + batchSize, rate);
        }
        return numbers;
    }

    private static BackgroundBatches<?> batches(ExperimentConfig config, ImageSet train, int batchSize, int epoch) {
        DataConfig data = config.data();
        ImageShape shape = new ImageShape(train.channels(), data.imageSize(), data.imageSize());
        return switch (config.trainer().kind()) {
            case SUPERVISED -> TrainingBatches.epoch(train, Preprocessing.of(data, train.channels(), true),
                    batchSize, 0, List.of(), config.seed(), epoch, 0);
            case DINO -> views(config, train, DinoPair.crops(config, shape), batchSize, epoch);
            case MOCOV3 -> views(config, train, MocoPair.crops(config, shape), batchSize, epoch);
        };
    }

    private static BackgroundBatches<?> views(ExperimentConfig config, ImageSet train, MultiCrop crops, int batchSize,
                                              int epoch) {
        return MultiCropBatches.epoch(train, crops, SampleWorkers.of(config.data().workerThreads()), batchSize,
                List.of(), config.seed(), epoch, 0);
    }
}

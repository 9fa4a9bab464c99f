package org.poollab.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.config.ExperimentConfig;
import org.poollab.data.BackgroundBatches;
import org.poollab.data.Batch;
import org.poollab.data.ImageDataset;
import org.poollab.data.Preprocessing;
import org.poollab.data.TrainingBatches;
import org.poollab.eval.FeatureExtractor;
import org.poollab.model.ModelGraph;
import org.poollab.train.Schedules;
import org.poollab.train.SupervisedTrainer;
import org.poollab.train.TrainingGraph;

/**
 * Measures an experiment's model on real batches: supervised training steps (forward + backward + AdamW) and
 * evaluation-mode feature extraction, reported as medians after warm-up, plus the process's peak resident memory.
 */
public final class ThroughputBenchmark {

    private final SupervisedTrainer trainer;
    private final PrintStream out;

    /**
     * @param trainer builds the training graph
     * @param out where the numbers go
     */
    public ThroughputBenchmark(SupervisedTrainer trainer, PrintStream out) {
        this.trainer = trainer;
        this.out = out;
    }

    /**
     * @param warmup untimed steps first
     * @param steps timed training steps
     * @param profile whether to print where the training steps' time goes, per op type
     */
    public void run(ExperimentConfig config, ModelGraph model, ImageDataset train, int warmup, int steps,
                    boolean profile) throws InterruptedException {
        int batchSize = config.trainer().batchSize();
        int total = warmup + steps;
        Schedules schedules = Schedules.of(config.trainer().optimizer(), total, 1);
        TrainingGraph training = trainer.prepare(model, train.classes(), config.trainer().optimizer(), schedules);
        OpProfile ops = new OpProfile();
        if (profile) {
            model.sd().addListeners(ops);
        }
        double[] seconds = new double[steps];
        try (BackgroundBatches<Batch> batches = TrainingBatches.epoch(train, Preprocessing.of(config.data(), true), batchSize,
                config.trainer().labelSmoothing(), model.stochasticInputs(), config.seed(), 0)) {
            for (int step = 0; step < Math.min(total, batches.steps()); step++) {
                Batch batch = batches.next();
                if (step == warmup) {
                    ops.record();
                }
                long start = System.nanoTime();
                training.step(step, SupervisedTrainer.features(model, batch), new INDArray[] {batch.targets()});
                if (step >= warmup) {
                    seconds[step - warmup] = (System.nanoTime() - start) / 1e9;
                }
            }
        }
        double trainStep = median(seconds);
        out.printf(Locale.ROOT, "train     batch %4d  median %7.1f ms/step  %7.1f img/s  (%d steps after %d warm-up)%n",
                batchSize, trainStep * 1e3, batchSize / trainStep, steps, warmup);
        if (profile) {
            ops.print(out, 25);
        }

        int evalBatch = config.eval().batchSize();
        ImageDataset sample = train.subset(Math.min(train.size(), evalBatch * (steps + 2)), config.seed());
        FeatureExtractor extractor = new FeatureExtractor(evalBatch, System.err);
        Preprocessing plain = Preprocessing.of(config.data(), false);
        extractor.extract(model, sample.subset(Math.min(sample.size(), 2 * evalBatch), 1), plain, "warm-up");
        long start = System.nanoTime();
        extractor.extract(model, sample, plain, "timed");
        double inference = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "inference batch %4d  %7.1f img/s  (%d images)%n", evalBatch,
                sample.size() / inference, sample.size());
        out.printf(Locale.ROOT, "peak RSS  %.2f GB%n", PeakMemory.residentBytes() / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}

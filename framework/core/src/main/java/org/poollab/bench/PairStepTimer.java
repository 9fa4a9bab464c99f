package org.poollab.bench;

import java.util.function.IntConsumer;
import org.nd4j.autodiff.samediff.SameDiff;
import org.poollab.data.BackgroundBatches;
import org.poollab.data.ImageSet;
import org.poollab.data.augment.MultiCropBatch;
import org.poollab.train.PairedTraining;

/**
 * The steps of a self-supervised pair: DINO (teacher on the global views, student on all views, AdamW, EMA and
 * centre update) or MoCo v3 (momentum encoder's keys, base encoder's step, EMA).
 */
public final class PairStepTimer implements StepTimer {

    /** Runs a pair's steps, reporting each finished one. */
    @FunctionalInterface
    public interface Steps {

        /** Runs {@code count} steps from global step {@code first}, one batch each. */
        void run(int first, int count, BackgroundBatches<MultiCropBatch> batches, IntConsumer stepDone)
                throws InterruptedException;
    }

    private final PairedTraining.Pair pair;
    private final SameDiff trained;
    private final ImageSet train;
    private final Steps steps;
    private int globalStep;

    /**
     * @param pair the pair to step
     * @param trained the graph its optimiser steps (profiled with {@code --profile})
     * @param steps how to run its steps
     */
    public PairStepTimer(PairedTraining.Pair pair, SameDiff trained, ImageSet train, Steps steps) {
        this.pair = pair;
        this.trained = trained;
        this.train = train;
        this.steps = steps;
    }

    @Override
    public double[] time(int batchSize, int warmup, int count, Runnable warmupDone) throws InterruptedException {
        double[] seconds = new double[count];
        try (BackgroundBatches<MultiCropBatch> batches = pair.batches(train, batchSize, batchSize, 0)) {
            int first = globalStep;
            int available = Math.min(warmup + count, batches.steps());
            StepClock clock = new StepClock(first, warmup, seconds, warmupDone);
            steps.run(first, available, batches, clock::finished);
            globalStep += available;
        }
        return seconds;
    }

    @Override
    public SameDiff graph() {
        return trained;
    }
}

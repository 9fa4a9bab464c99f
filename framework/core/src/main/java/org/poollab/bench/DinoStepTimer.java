package org.poollab.bench;

import org.nd4j.autodiff.samediff.SameDiff;
import org.poollab.data.BackgroundBatches;
import org.poollab.data.ImageSet;
import org.poollab.data.augment.MultiCropBatch;
import org.poollab.train.dino.DinoPair;

/** DINO steps: teacher on the global views, student on all views, AdamW, EMA and centre update. */
public final class DinoStepTimer implements StepTimer {

    private final DinoPair pair;
    private final ImageSet train;
    private int globalStep;

    /** @param pair the student-teacher pair to step */
    public DinoStepTimer(DinoPair pair, ImageSet train) {
        this.pair = pair;
        this.train = train;
    }

    @Override
    public double[] time(int batchSize, int warmup, int steps, Runnable warmupDone) throws InterruptedException {
        double[] seconds = new double[steps];
        try (BackgroundBatches<MultiCropBatch> batches = pair.batches(train, batchSize, batchSize)) {
            int first = globalStep;
            int available = Math.min(warmup + steps, batches.steps());
            StepClock clock = new StepClock(first, warmup, seconds, warmupDone);
            pair.run(first, available, batches, (step, loss, images, targets, momentum) -> clock.finished(step));
            globalStep += available;
        }
        return seconds;
    }

    @Override
    public SameDiff graph() {
        return pair.studentGraph();
    }
}

package org.poollab.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Sends step metrics to the observer every {@code logEvery} steps and at the end of each epoch, adding
 * {@code img_per_s} over the steps since the previous report.
 */
public final class StepLog {

    private final TrainingObserver observer;
    private final int every;
    private long windowStart = System.nanoTime();
    private long windowImages;

    /**
     * @param observer where metrics go (MLflow)
     * @param every report every this many global steps
     */
    public StepLog(TrainingObserver observer, int every) {
        this.observer = observer;
        this.every = every;
    }

    /**
     * Called after each training step.
     *
     * @param step the global step just done (0-based); it is reported as {@code step + 1}
     * @param images images in the step
     * @param lastOfEpoch whether it ended an epoch (always reported)
     * @param metrics the step's metrics, computed only when reported
     */
    public void after(int step, int images, boolean lastOfEpoch, Supplier<Map<String, Double>> metrics) {
        windowImages += images;
        if ((step + 1) % every != 0 && !lastOfEpoch) {
            return;
        }
        double seconds = (System.nanoTime() - windowStart) / 1e9;
        Map<String, Double> reported = new LinkedHashMap<>(metrics.get());
        reported.put("img_per_s", windowImages / Math.max(seconds, 1e-9));
        observer.onStep(step + 1, reported);
        windowStart = System.nanoTime();
        windowImages = 0;
    }
}

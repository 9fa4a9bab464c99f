package org.poollab.bench;

import org.nd4j.autodiff.samediff.SameDiff;

/** Times a trainer's optimisation steps on real batches of a given size. */
public interface StepTimer {

    /**
     * Runs {@code warmup + steps} steps at one batch size.
     *
     * @param warmupDone called once the untimed steps are over
     * @return the seconds of each timed step, from taking its batch to the end of its update
     */
    double[] time(int batchSize, int warmup, int steps, Runnable warmupDone) throws InterruptedException;

    /** The graph the steps run (for per-op profiling). */
    SameDiff graph();
}

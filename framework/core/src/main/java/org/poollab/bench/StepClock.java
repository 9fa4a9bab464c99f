package org.poollab.bench;

/**
 * Wall time of each timed step of a run that starts with untimed warm-up steps, measured from the end of one
 * step to the end of the next (so taking the batch, and for DINO the teacher, count as part of the step).
 */
final class StepClock {

    private final int first;
    private final int warmup;
    private final double[] seconds;
    private final Runnable warmupDone;
    private long lastEnd;

    /**
     * @param first the run's first global step
     * @param warmup untimed steps, at least 1
     * @param seconds receives one entry per timed step
     * @param warmupDone called when the last warm-up step has finished
     */
    StepClock(int first, int warmup, double[] seconds, Runnable warmupDone) {
        if (warmup < 1) {
            throw new IllegalArgumentException("at least one warm-up step is needed to time the first step");
        }
        this.first = first;
        this.warmup = warmup;
        this.seconds = seconds;
        this.warmupDone = warmupDone;
    }

    void finished(int step) {
        long now = System.nanoTime();
        int timed = step - first - warmup;
        if (timed == -1) {
            warmupDone.run();
        } else if (timed >= 0 && timed < seconds.length) {
            seconds[timed] = (now - lastEnd) / 1e9;
        }
        lastEnd = now;
    }
}

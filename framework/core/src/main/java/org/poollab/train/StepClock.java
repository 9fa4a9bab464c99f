package org.poollab.train;

/** The global step shared by the trainer and its per-parameter updaters (which SameDiff calls without it). */
public final class StepClock {

    private int step;

    /** The current global step, 0-based. */
    public int step() {
        return step;
    }

    /** Moves to {@code step}. */
    public void set(int step) {
        this.step = step;
    }
}

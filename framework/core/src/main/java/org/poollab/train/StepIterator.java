package org.poollab.train;

import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Feeds SameDiff's fit loop from a {@link StepSource}, one step at a time on the caller's thread (no prefetch, so
 * the step clock and any per-step work such as the DINO teacher happen exactly before their step).
 */
final class StepIterator extends OnePassIterator {

    private static final long serialVersionUID = 1L;

    private final transient StepSource source;
    private final transient StepClock clock;
    private final int first;
    private final int count;
    private int next;

    StepIterator(int first, int count, StepSource source, StepClock clock) {
        this.first = first;
        this.count = count;
        this.source = source;
        this.clock = clock;
    }

    /** Carries an interruption of the step source out of SameDiff's fit loop. */
    static final class Interrupted extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Interrupted(InterruptedException cause) {
            super(cause);
        }

        InterruptedException interruption() {
            return (InterruptedException) getCause();
        }
    }

    @Override
    public boolean hasNext() {
        return next < count;
    }

    @Override
    public MultiDataSet next() {
        int step = first + next++;
        clock.set(step);
        try {
            return source.inputs(step);
        } catch (InterruptedException e) {
            throw new Interrupted(e);
        }
    }
}

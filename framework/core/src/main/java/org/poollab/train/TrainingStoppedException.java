package org.poollab.train;

import java.util.Optional;

/** Training stopped at a step boundary because the process was asked to end ({@link StepBoundaryStop}). */
public final class TrainingStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int nextStep;

    /**
     * @param nextStep the global step training would continue from
     * @param checkpoint the checkpoint written there, once it is
     */
    TrainingStoppedException(int nextStep, Optional<String> checkpoint) {
        super("stopped by a signal before step " + nextStep + checkpoint.map(c -> "; wrote " + c).orElse(""));
        this.nextStep = nextStep;
    }

    /** The global step training would continue from. */
    int nextStep() {
        return nextStep;
    }
}

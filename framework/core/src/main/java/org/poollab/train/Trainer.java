package org.poollab.train;

import java.util.Map;

/** A training recipe selected by {@code trainer.id}. */
public interface Trainer {

    /** The id used in experiment files. */
    String id();

    /**
     * Trains, evaluating with k-NN as configured.
     *
     * @return the final evaluation metrics
     * @throws NonFiniteLossException if the loss stops being finite
     */
    Map<String, Double> train(TrainingRun run) throws InterruptedException;
}

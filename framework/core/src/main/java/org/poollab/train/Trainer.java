package org.poollab.train;

import java.util.Map;
import org.poollab.config.TrainerKind;

/** A training recipe selected by {@code trainer.id}. */
public interface Trainer {

    /** The recipe this trainer implements ({@code trainer.id} in experiment files). */
    TrainerKind kind();

    /**
     * Trains, evaluating with k-NN as configured.
     *
     * @return the final evaluation metrics
     * @throws NonFiniteLossException if the loss stops being finite
     */
    Map<String, Double> train(TrainingRun run) throws InterruptedException;
}

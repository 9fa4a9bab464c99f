package org.poollab.train;

import org.nd4j.linalg.dataset.MultiDataSet;

/** Supplies the inputs of each training step, on the training thread, just before the step runs. */
public interface StepSource {

    /**
     * @param step the global step about to run
     * @return features and labels in the training graph's placeholder order
     */
    MultiDataSet inputs(int step) throws InterruptedException;

    /**
     * Called after the step's update, with its loss (already checked to be finite).
     *
     * @param step the global step just done
     * @param loss the batch's loss before the update
     */
    void done(int step, double loss);
}

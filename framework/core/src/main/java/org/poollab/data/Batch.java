package org.poollab.data;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training step's inputs.
 *
 * @param images {@code [b, C, H, W]}
 * @param targets smoothed one-hot labels {@code [b, K]}
 * @param randomInputs per-step random placeholders (stochastic depth masks) by name
 */
public record Batch(INDArray images, INDArray targets, Map<String, INDArray> randomInputs) {

    /** b. */
    public int size() {
        return (int) images.size(0);
    }
}

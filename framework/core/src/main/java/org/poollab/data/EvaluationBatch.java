package org.poollab.data;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Consecutive images of a split, ready for a forward pass in evaluation mode.
 *
 * @param images normalised views {@code [rows, C, size, size]}
 * @param views the same views as samples in [0, 1], with their labels and masks, in the same order
 */
public record EvaluationBatch(INDArray images, List<Sample> views) {

    /** The labels of the rows. */
    public int[] labels() {
        return views.stream().mapToInt(Sample::label).toArray();
    }
}

package org.poollab.data.augment;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One DINO step's inputs, views stacked view-major (all images' view 0, then all images' view 1, ...).
 *
 * @param global the global views {@code [2B, C, G, G]}
 * @param local the local views {@code [LB, C, l, l]}, or {@code null} when L = 0
 * @param randomInputs per-step random placeholders (stochastic depth masks) by name
 * @param images B
 */
public record MultiCropBatch(INDArray global, INDArray local, Map<String, INDArray> randomInputs, int images) {
}

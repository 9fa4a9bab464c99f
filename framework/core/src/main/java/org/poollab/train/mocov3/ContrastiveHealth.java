package org.poollab.train.mocov3;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MoCo v3's health metrics from a step's queries and keys: how often the positive is the nearest key, and the
 * spread of the normalised outputs across the batch (a collapse to one vector shows as it falling to 0; outputs
 * spread evenly over the sphere give about {@code 1 / sqrt(D)}).
 */
final class ContrastiveHealth {

    private ContrastiveHealth() {
    }

    /**
     * @return the share, in percent, of queries (both views: q1 against k2, q2 against k1) whose most similar key
     *     in the batch is their own image's
     */
    static double accuracy(MocoPair.StepOutputs outputs) {
        long hits = 0;
        long total = 0;
        for (int view = 0; view < 2; view++) {
            INDArray similarities = rowsNormalised(outputs.queries().get(view))
                    .mmul(rowsNormalised(outputs.keys().get(1 - view)).transpose()); // [B, B]
            INDArray nearest = similarities.argMax(1);
            for (int i = 0; i < nearest.length(); i++) {
                hits += nearest.getLong(i) == i ? 1 : 0;
            }
            total += nearest.length();
        }
        return 100.0 * hits / total;
    }

    /**
     * @param outputs {@code [B, D]}
     * @return the standard deviation over the batch of each dimension of the L2-normalised rows, averaged over
     *     the dimensions
     */
    static double normalisedStd(INDArray outputs) {
        return rowsNormalised(outputs).std(0).meanNumber().doubleValue();
    }

    /** Rows divided by their L2 norm (at least 1e-12, as F.normalize). */
    static INDArray rowsNormalised(INDArray rows) {
        INDArray norms = Transforms.max(rows.norm2(1), 1e-12).reshape(rows.size(0), 1);
        return rows.divColumnVector(norms);
    }
}

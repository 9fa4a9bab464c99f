package org.poollab.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.graph.StochasticInput;

/** Values for a graph's per-step placeholders: stochastic-depth keep masks and the batch-statistics flag. */
public final class StochasticMasks {

    private StochasticMasks() {
    }

    /**
     * Per-sample Bernoulli(1 - p) / (1 - p) masks, so that the expected branch output is unchanged; the flag 1.
     *
     * @param batchOf the batch size of each image input ("" is the main input)
     * @return placeholder name to mask {@code [B, 1, ..., 1]}
     */
    public static Map<String, INDArray> training(List<StochasticInput> inputs, ToIntFunction<String> batchOf,
                                                 SplittableRandom random) {
        Map<String, INDArray> out = new HashMap<>();
        for (StochasticInput input : inputs) {
            if (input.trainingFlag()) {
                out.put(input.placeholder(), flag(1));
                continue;
            }
            double keep = 1 - input.dropProbability();
            float[] values = new float[batchOf.applyAsInt(input.input())];
            for (int b = 0; b < values.length; b++) {
                values[b] = random.nextDouble() < keep ? (float) (1 / keep) : 0f;
            }
            out.put(input.placeholder(), Nd4j.create(values, shape(input, values.length), 'c'));
        }
        return out;
    }

    /** Evaluation: masks of ones (every branch kept) and the flag 0 (batch norm uses its running averages). */
    public static Map<String, INDArray> evaluation(List<StochasticInput> inputs, ToIntFunction<String> batchOf) {
        return deterministic(inputs, batchOf, 0);
    }

    /**
     * Training-mode normalisation without randomness: masks of ones and the flag 1, so batch norm uses the batch's
     * statistics (DINO's teacher, which is never put in evaluation mode, and has no stochastic depth).
     */
    public static Map<String, INDArray> batchStatistics(List<StochasticInput> inputs, ToIntFunction<String> batchOf) {
        return deterministic(inputs, batchOf, 1);
    }

    private static Map<String, INDArray> deterministic(List<StochasticInput> inputs, ToIntFunction<String> batchOf,
                                                       double flag) {
        Map<String, INDArray> out = new HashMap<>();
        for (StochasticInput input : inputs) {
            out.put(input.placeholder(), input.trainingFlag() ? flag(flag)
                    : Nd4j.ones(DataType.FLOAT, shape(input, batchOf.applyAsInt(input.input()))));
        }
        return out;
    }

    private static INDArray flag(double value) {
        return Nd4j.valueArrayOf(new long[] {1}, value, DataType.FLOAT);
    }

    private static long[] shape(StochasticInput input, int batch) {
        long[] shape = new long[input.rank()];
        Arrays.fill(shape, 1);
        shape[0] = batch;
        return shape;
    }
}

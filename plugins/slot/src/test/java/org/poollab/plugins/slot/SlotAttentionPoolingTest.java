package org.poollab.plugins.slot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.poollab.api.backbone.Grid;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.Params;
import org.poollab.testkit.GradientCheck;
import org.poollab.testkit.PoolingHarness;

class SlotAttentionPoolingTest {

    private static final int B = 2;
    private static final int N = 6;
    private static final int D = 4;

    private final SlotAttentionPooling slot = new SlotAttentionPooling(new Layers());

    private PoolingHarness harness(int slots, int iterations, INDArray tokens) {
        return new PoolingHarness(slot.create(Params.resolve(slot.parameters(), Map.of(),
                Map.of("slots", slots, "iterations", iterations)), D), tokens, new Grid(2, 3));
    }

    @Test
    void oneSlotAndOneIterationMatchesAHandComputation() {
        INDArray tokens = PoolingHarness.randomTokens(31, B, N, D);
        PoolingHarness pooling = harness(1, 1, tokens);
        double[][] pooled = pooling.pooled().toDoubleMatrix();
        double[][] map = pooling.attention().orElseThrow().toDoubleMatrix();
        double[] start = pooling.parameter("slots_init").reshape(D).toDoubleVector();
        for (int b = 0; b < B; b++) {
            // One slot takes every token whole: the update is the mean of the values.
            double[] update = new double[D];
            for (int n = 0; n < N; n++) {
                double[] value = times(layerNorm(tokens.slice(b).getRow(n).toDoubleVector(), pooling, "norm_inputs"),
                        pooling.parameter("v/W").toDoubleMatrix());
                for (int c = 0; c < D; c++) {
                    update[c] += value[c] / N;
                }
                assertEquals(1.0 / N, map[b][n], 1e-12);
            }
            double[] reset = sigmoid(add(affine(update, pooling, "gru/ir"), affine(start, pooling, "gru/hr")));
            double[] gate = sigmoid(add(affine(update, pooling, "gru/iz"), affine(start, pooling, "gru/hz")));
            double[] candidate = tanh(add(affine(update, pooling, "gru/in"), mul(reset, affine(start, pooling,
                    "gru/hn"))));
            double[] state = new double[D];
            for (int c = 0; c < D; c++) {
                state[c] = (1 - gate[c]) * candidate[c] + gate[c] * start[c];
            }
            double[] hidden = affine(layerNorm(state, pooling, "norm_mlp"), pooling, "mlp.0");
            for (int i = 0; i < hidden.length; i++) {
                hidden[i] = Math.max(0, hidden[i]);
            }
            double[] expected = add(state, affine(hidden, pooling, "mlp.2"));
            for (int c = 0; c < D; c++) {
                assertEquals(expected[c], pooled[b][c], 1e-9, "u[" + b + "][" + c + "]");
            }
        }
    }

    @Test
    void theMapIsADistributionAndTheOutputIgnoresTokenOrder() {
        INDArray tokens = PoolingHarness.randomTokens(32, B, N, D).muli(2);
        PoolingHarness pooling = harness(4, 3, tokens);
        INDArray map = pooling.attention().orElseThrow();
        assertTrue(map.minNumber().doubleValue() >= 0);
        assertTrue(map.sum(1).equalsWithEps(Nd4j.ones(map.dataType(), B), 1e-9), map.sum(1).toString());
        int[] order = {3, 0, 5, 1, 4, 2};
        INDArray shuffled = tokens.dup();
        for (int n = 0; n < N; n++) {
            shuffled.get(NDArrayIndex.all(), NDArrayIndex.point(n), NDArrayIndex.all())
                    .assign(tokens.get(NDArrayIndex.all(), NDArrayIndex.point(order[n]), NDArrayIndex.all()));
        }
        assertTrue(harness(4, 3, shuffled).pooled().equalsWithEps(pooling.pooled(), 1e-9), "permutation invariant");
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        INDArray tokens = PoolingHarness.randomTokens(33, B, N, D);
        // Many entries here have gradients of 1e-7 or less, where central differences (step 1e-6) carry ~1e-10 of
        // round-off: compare those absolutely (floor 1e-5); a wrong or missing term is orders of magnitude larger.
        assertTrue(harness(2, 2, tokens).assertGradients(new GradientCheck(1e-4, 1e-5, 12)) > 100,
                "tokens, projections, GRU, MLP, norms and the initial slots are all checked");
    }

    private static double[] layerNorm(double[] x, PoolingHarness pooling, String name) {
        double mean = 0;
        for (double v : x) {
            mean += v / x.length;
        }
        double variance = 0;
        for (double v : x) {
            variance += (v - mean) * (v - mean) / x.length;
        }
        double[] gain = pooling.parameter(name + "/gain").toDoubleVector();
        double[] bias = pooling.parameter(name + "/bias").toDoubleVector();
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (x[i] - mean) / Math.sqrt(variance + 1e-6) * gain[i] + bias[i];
        }
        return out;
    }

    private static double[] affine(double[] x, PoolingHarness pooling, String name) {
        return add(times(x, pooling.parameter(name + "/W").toDoubleMatrix()),
                pooling.parameter(name + "/b").toDoubleVector());
    }

    private static double[] times(double[] x, double[][] w) {
        double[] out = new double[w[0].length];
        for (int o = 0; o < out.length; o++) {
            for (int i = 0; i < x.length; i++) {
                out[o] += x[i] * w[i][o];
            }
        }
        return out;
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private static double[] mul(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * b[i];
        }
        return out;
    }

    private static double[] sigmoid(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = 1 / (1 + Math.exp(-x[i]));
        }
        return out;
    }

    private static double[] tanh(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.tanh(x[i]);
        }
        return out;
    }
}

package org.poollab.plugins.vitpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.api.backbone.Grid;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.Params;
import org.poollab.testkit.GradientCheck;
import org.poollab.testkit.PoolingHarness;

class VitPoolingTest {

    private static final int B = 2;
    private static final int N = 5;
    private static final int D = 4;

    private final VitPooling pooling = new VitPooling(new Layers());

    private PoolingHarness harness(int heads, INDArray tokens) {
        Params params = Params.resolve(pooling.parameters(), Map.of(), Map.of("heads", heads));
        return new PoolingHarness(pooling.create(params, D), tokens, new Grid(1, N));
    }

    @Test
    void isTheTokenRowOfSelfAttentionOverTokenAndTokensComputedByHand() {
        INDArray tokens = PoolingHarness.randomTokens(1, B, N, D);
        PoolingHarness h = harness(1, tokens);
        double[] t = h.parameter("token").toDoubleVector();
        double[][] wq = h.parameter("attn/q/W").toDoubleMatrix();
        double[][] wk = h.parameter("attn/k/W").toDoubleMatrix();
        double[][] wv = h.parameter("attn/v/W").toDoubleMatrix();
        double[][] wo = h.parameter("attn/proj/W").toDoubleMatrix();
        double[][] pooled = h.pooled().toDoubleMatrix();
        double[][] map = h.attention().orElseThrow().toDoubleMatrix();
        for (int b = 0; b < B; b++) {
            double[][] rows = new double[N + 1][]; // [token; tokens]
            rows[0] = t;
            for (int n = 0; n < N; n++) {
                rows[n + 1] = tokens.slice(b).getRow(n).toDoubleVector();
            }
            double[] q = times(t, wq);
            double[] weights = new double[N + 1];
            double sum = 0;
            for (int j = 0; j <= N; j++) {
                weights[j] = Math.exp(dot(q, times(rows[j], wk)) / Math.sqrt(D));
                sum += weights[j];
            }
            double[] mixed = new double[D];
            for (int j = 0; j <= N; j++) {
                double[] v = times(rows[j], wv);
                for (int c = 0; c < D; c++) {
                    mixed[c] += weights[j] / sum * v[c];
                }
            }
            double[] out = times(mixed, wo); // biases start at zero
            for (int c = 0; c < D; c++) {
                assertEquals(out[c], pooled[b][c], 1e-10);
            }
            for (int n = 0; n < N; n++) {
                assertEquals(weights[n + 1] / (sum - weights[0]), map[b][n], 1e-10, "map renormalised over tokens");
            }
        }
    }

    @Test
    void mapRowsSumToOneWithSeveralHeads() {
        INDArray map = harness(2, PoolingHarness.randomTokens(2, B, N, D)).attention().orElseThrow();
        for (int b = 0; b < B; b++) {
            assertEquals(1.0, map.getRow(b).sumNumber().doubleValue(), 1e-12);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        assertTrue(harness(2, PoolingHarness.randomTokens(3, B, N, D)).assertGradients(GradientCheck.standard())
                > 50);
    }

    private static double[] times(double[] x, double[][] w) {
        double[] out = new double[w[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < out.length; j++) {
                out[j] += x[i] * w[i][j];
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}

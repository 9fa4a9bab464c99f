package org.poollab.plugins.otk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.backbone.Grid;
import org.poollab.api.param.Params;
import org.poollab.testkit.GradientCheck;
import org.poollab.testkit.PoolingHarness;

class OptimalTransportPoolingTest {

    private static final int B = 2;
    private static final int N = 6;
    private static final int D = 3;

    private final OptimalTransportPooling otk = new OptimalTransportPooling();

    private PoolingHarness harness(Map<String, Object> params, INDArray tokens) {
        return new PoolingHarness(otk.create(Params.resolve(otk.parameters(), Map.of(), params), (int) tokens.size(2)),
                tokens, new Grid(2, 3));
    }

    @Test
    void oneReferenceGivesTheMeanOfTheTokens() {
        INDArray tokens = PoolingHarness.randomTokens(21, B, N, D).muli(5);
        INDArray pooled = harness(Map.of("refs", 1, "iterations", 3, "eps", 0.05), tokens).pooled();
        assertTrue(pooled.equalsWithEps(tokens.mean(1), 1e-9), pooled + " vs " + tokens.mean(1));
    }

    @Test
    void matchesAPlainJavaSinkhornPlan() {
        INDArray tokens = PoolingHarness.randomTokens(22, B, N, D).muli(4);
        PoolingHarness pooling = harness(Map.of("refs", 2, "iterations", 2, "eps", 0.1), tokens);
        double[][] z = pooling.parameter("references").toDoubleMatrix(); // [D, p]
        double[][] pooled = pooling.pooled().toDoubleMatrix();
        double[][] map = pooling.attention().orElseThrow().toDoubleMatrix();
        for (int b = 0; b < B; b++) {
            double[][] x = tokens.slice(b).toDoubleMatrix();
            double[][] plan = sinkhorn(x, z, 2, 0.1);
            for (int j = 0; j < 2; j++) {
                for (int c = 0; c < D; c++) {
                    double u = 0;
                    for (int i = 0; i < N; i++) {
                        u += plan[i][j] * x[i][c];
                    }
                    assertEquals(u, pooled[b][j * D + c], 1e-9, "u[" + j + "][" + c + "]");
                }
            }
            for (int i = 0; i < N; i++) {
                assertEquals((plan[i][0] + plan[i][1]) / 2, map[b][i], 1e-12);
            }
        }
    }

    @Test
    void columnsAreExactAndRowsConvergeToTheirMarginals() {
        // A channel of ones reads each column's mass off the output: u_j[ones] = sum_i P_ij.
        INDArray tokens = Nd4j.concat(2, PoolingHarness.randomTokens(23, B, N, D).muli(3), Nd4j.ones(B, N, 1)
                .castTo(DataType.DOUBLE));
        for (int iterations : new int[] {1, 200}) {
            PoolingHarness pooling = harness(Map.of("refs", 3, "iterations", iterations, "eps", 0.2), tokens);
            double[][] pooled = pooling.pooled().toDoubleMatrix();
            for (int b = 0; b < B; b++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(1.0, pooled[b][j * (D + 1) + D], 1e-12, "column " + j + " mass");
                }
            }
            double[][] map = pooling.attention().orElseThrow().toDoubleMatrix(); // (1/p) row sums
            double spread = 0;
            for (double[] row : map) {
                for (double value : row) {
                    spread = Math.max(spread, Math.abs(value - 1.0 / N));
                }
            }
            if (iterations == 1) {
                assertTrue(spread > 1e-3, "one iteration leaves the rows inexact: the map is not uniform");
            } else {
                assertEquals(0, spread, 1e-9, "rows converge to p / N: the map becomes uniform");
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        INDArray tokens = PoolingHarness.randomTokens(24, B, N, D);
        assertEquals(12 + 6, harness(Map.of("refs", 2, "iterations", 2, "eps", 0.5), tokens)
                .assertGradients(GradientCheck.standard()),
                "entries checked: 12 of the tokens, all 6 of the references");
    }

    /** Sinkhorn in the plain domain: rows to p / N, then columns to 1, {@code iterations} times. */
    private static double[][] sinkhorn(double[][] x, double[][] z, int iterations, double eps) {
        int refs = z[0].length;
        double[][] k = new double[N][refs];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < refs; j++) {
                double s = 0;
                for (int c = 0; c < D; c++) {
                    s += x[i][c] * z[c][j];
                }
                k[i][j] = Math.exp(s / eps);
            }
        }
        for (int t = 0; t < iterations; t++) {
            for (double[] row : k) {
                double sum = row[0] + row[1];
                for (int j = 0; j < refs; j++) {
                    row[j] *= (double) refs / N / sum;
                }
            }
            for (int j = 0; j < refs; j++) {
                double sum = 0;
                for (double[] row : k) {
                    sum += row[j];
                }
                for (double[] row : k) {
                    row[j] /= sum;
                }
            }
        }
        return k;
    }
}

package org.poollab.plugins.how;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.api.backbone.Grid;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.ParamException;
import org.poollab.api.param.Params;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.testkit.GradientCheck;
import org.poollab.testkit.PoolingHarness;

class HowPoolingTest {

    private static final int B = 2;
    private static final Grid GRID = new Grid(3, 4);
    private static final int N = 12;
    private static final int D = 8;

    private final HowPooling how = new HowPooling(new Layers());

    private PoolingModule module(int reduction) {
        return how.create(Params.resolve(how.parameters(), Map.of(), Map.of("reduction", reduction)), D);
    }

    @Test
    void matchesAPlainJavaComputationOfWeightsSmoothingReductionAndNormalisation() {
        INDArray tokens = PoolingHarness.randomTokens(12, B, N, D);
        PoolingHarness harness = new PoolingHarness(module(4), tokens, GRID);
        double[][] w = harness.parameter("reduction/W").toDoubleMatrix(); // [D, D/4]
        double[][] pooled = harness.pooled().toDoubleMatrix();
        double[][] map = harness.attention().orElseThrow().toDoubleMatrix();
        assertEquals(2, pooled[0].length);
        for (int b = 0; b < B; b++) {
            double[][] x = tokens.slice(b).toDoubleMatrix();
            double[] weights = new double[N];
            double weightSum = 0;
            for (int n = 0; n < N; n++) {
                weights[n] = Math.sqrt(dot(x[n], x[n]));
                weightSum += weights[n];
            }
            double[] sum = new double[D / 4];
            for (int n = 0; n < N; n++) {
                double[] smoothed = new double[D];
                int count = 0;
                int ty = n / GRID.width();
                int tx = n % GRID.width();
                for (int m = 0; m < N; m++) {
                    if (Math.abs(m / GRID.width() - ty) <= 1 && Math.abs(m % GRID.width() - tx) <= 1) {
                        count++;
                        for (int c = 0; c < D; c++) {
                            smoothed[c] += x[m][c];
                        }
                    }
                }
                double[] reduced = new double[D / 4];
                for (int o = 0; o < D / 4; o++) {
                    for (int c = 0; c < D; c++) {
                        reduced[o] += smoothed[c] / count * w[c][o];
                    }
                }
                double norm = Math.sqrt(dot(reduced, reduced));
                for (int o = 0; o < D / 4; o++) {
                    sum[o] += weights[n] * reduced[o] / norm;
                }
                assertEquals(weights[n] / weightSum, map[b][n], 1e-9);
            }
            double norm = Math.sqrt(dot(sum, sum));
            for (int o = 0; o < D / 4; o++) {
                assertEquals(sum[o] / norm, pooled[b][o], 1e-9);
            }
        }
    }

    @Test
    void theSmoothingMatrixAveragesTheNeighboursInsideTheGrid() {
        double[][] s = HowPooling.smoothingMatrix(new Grid(2, 2));
        for (double[] row : s) {
            assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, row, 1e-15); // every token sees all 4
        }
        double[][] line = HowPooling.smoothingMatrix(new Grid(1, 3));
        assertArrayEquals(new double[] {0.5, 0.5, 0}, line[0], 1e-15);
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, line[1], 1e-15);
    }

    @Test
    void aReductionThatDoesNotDivideTheWidthIsRefused() {
        ParamException e = assertThrows(ParamException.class, () -> module(3));
        assertEquals("reduction", e.parameter());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        INDArray tokens = PoolingHarness.randomTokens(13, B, N, D);
        assertEquals(24, new PoolingHarness(module(2), tokens, GRID).assertGradients(GradientCheck.standard()),
                "entries checked: tokens and the reduction");
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}

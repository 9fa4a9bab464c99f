package org.poollab.plugins.gmp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.api.backbone.Grid;
import org.poollab.api.param.Params;
import org.poollab.testkit.GradientCheck;
import org.poollab.testkit.PoolingHarness;

class GeneralisedMaxPoolingTest {

    private static final int B = 2;
    private static final int N = 6;
    private static final int D = 4;

    private final GeneralisedMaxPooling gmp = new GeneralisedMaxPooling();

    private PoolingHarness harness(Map<String, Object> params, INDArray tokens) {
        return new PoolingHarness(gmp.create(Params.resolve(gmp.parameters(), Map.of(), params), D), tokens,
                new Grid(2, 3));
    }

    @Test
    void poolsWithTheWeightsThatSolveItsLinearSystem() {
        INDArray tokens = PoolingHarness.randomTokens(7, B, N, D).muli(3);
        double lambda = 2.0; // small, so the solution is far from the mean: X X^T matters
        PoolingHarness pooling = harness(Map.of("lambda", lambda, "iterations", 40), tokens);
        double[][] pooled = pooling.pooled().toDoubleMatrix();
        double[][] map = pooling.attention().orElseThrow().toDoubleMatrix();
        for (int b = 0; b < B; b++) {
            double[][] x = tokens.slice(b).toDoubleMatrix();
            double[] alpha = solve(gram(x, lambda), ones(N)); // independent: Gaussian elimination in double
            double absoluteSum = 0;
            for (double a : alpha) {
                absoluteSum += Math.abs(a);
            }
            for (int c = 0; c < D; c++) {
                double u = 0;
                for (int n = 0; n < N; n++) {
                    u += alpha[n] * x[n][c];
                }
                assertEquals(u, pooled[b][c], 1e-9 * Math.max(1, Math.abs(u)), "u[" + b + "][" + c + "]");
            }
            for (int n = 0; n < N; n++) {
                assertEquals(Math.abs(alpha[n]) / absoluteSum, map[b][n], 1e-9, "map[" + b + "][" + n + "]");
            }
            // the defining property: every token has the same similarity (1 - lambda alpha_n) to u
            for (int n = 0; n < N; n++) {
                double similarity = 0;
                for (int c = 0; c < D; c++) {
                    similarity += x[n][c] * pooled[b][c];
                }
                assertEquals(1 - lambda * alpha[n], similarity, 1e-8);
            }
        }
    }

    @Test
    void aLargeRidgeGivesTheSumOfTokensOverLambda() {
        INDArray tokens = PoolingHarness.randomTokens(8, B, N, D);
        double lambda = 1e6; // alpha = 1/lambda - X X^T 1 / lambda^2 + ...: u -> sum_n x_n / lambda
        INDArray pooled = harness(Map.of("lambda", lambda), tokens).pooled();
        INDArray expected = tokens.sum(1).divi(lambda);
        double relative = pooled.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
        assertEquals(0, relative, 1e-4, "the next term is about N d / lambda relative");
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        INDArray tokens = PoolingHarness.randomTokens(9, B, N, D);
        assertEquals(12, harness(Map.of("lambda", 3.0, "iterations", 12), tokens)
                .assertGradients(GradientCheck.standard()), "entries checked: only the tokens are variables");
    }

    private static double[][] gram(double[][] x, double lambda) {
        double[][] a = new double[x.length][x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                for (int c = 0; c < x[i].length; c++) {
                    a[i][j] += x[i][c] * x[j][c];
                }
            }
            a[i][i] += lambda;
        }
        return a;
    }

    private static double[] ones(int n) {
        double[] v = new double[n];
        Arrays.fill(v, 1);
        return v;
    }

    /** Gaussian elimination with partial pivoting. */
    private static double[] solve(double[][] matrix, double[] rhs) {
        int n = rhs.length;
        double[][] a = new double[n][];
        double[] b = rhs.clone();
        for (int i = 0; i < n; i++) {
            a[i] = matrix[i].clone();
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] row = a[col];
            a[col] = a[pivot];
            a[pivot] = row;
            double t = b[col];
            b[col] = b[pivot];
            b[pivot] = t;
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                for (int c = col; c < n; c++) {
                    a[r][c] -= f * a[col][c];
                }
                b[r] -= f * b[col];
            }
        }
        double[] solution = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int c = r + 1; c < n; c++) {
                s -= a[r][c] * solution[c];
            }
            solution[r] = s / a[r][r];
        }
        return solution;
    }
}

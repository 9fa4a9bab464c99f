package org.poollab.api.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BicubicResizeTest {

    @Test
    void sameSizeIsTheIdentity() {
        double[][] m = BicubicResize.matrix(7, 7, 7, 7);
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                assertEquals(i == j ? 1.0 : 0.0, m[i][j], 1e-12);
            }
        }
    }

    @Test
    void weightsOfEveryOutputSumToOne() {
        for (double[] row : BicubicResize.matrix(7, 7, 3, 5)) {
            double sum = 0;
            for (double w : row) {
                sum += w;
            }
            assertEquals(1.0, sum, 1e-12);
        }
    }

    /** The matrix against a direct 2-D evaluation of PyTorch's bicubic rule (half-pixel centres, clamped taps). */
    @Test
    void matchesADirectBicubicComputation() {
        java.util.Random random = new java.util.Random(3);
        int fromH = 7;
        int fromW = 7;
        double[] grid = new double[fromH * fromW];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = random.nextGaussian();
        }
        for (int[] to : new int[][] {{3, 3}, {10, 10}, {4, 9}}) {
            double[][] m = BicubicResize.matrix(fromH, fromW, to[0], to[1]);
            for (int oy = 0; oy < to[0]; oy++) {
                for (int ox = 0; ox < to[1]; ox++) {
                    double viaMatrix = 0;
                    for (int j = 0; j < grid.length; j++) {
                        viaMatrix += m[oy * to[1] + ox][j] * grid[j];
                    }
                    assertEquals(direct(grid, fromH, fromW, to[0], to[1], oy, ox), viaMatrix, 1e-12);
                }
            }
        }
    }

    private static double direct(double[] grid, int fromH, int fromW, int toH, int toW, int oy, int ox) {
        double sy = (oy + 0.5) * fromH / toH - 0.5;
        double sx = (ox + 0.5) * fromW / toW - 0.5;
        int y0 = (int) Math.floor(sy);
        int x0 = (int) Math.floor(sx);
        double value = 0;
        for (int y = y0 - 1; y <= y0 + 2; y++) {
            for (int x = x0 - 1; x <= x0 + 2; x++) {
                int cy = Math.min(Math.max(y, 0), fromH - 1);
                int cx = Math.min(Math.max(x, 0), fromW - 1);
                value += kernel(sy - y) * kernel(sx - x) * grid[cy * fromW + cx];
            }
        }
        return value;
    }

    /** Keys' kernel with a = -0.75 written as a function of the distance. */
    private static double kernel(double distance) {
        double a = -0.75;
        double x = Math.abs(distance);
        if (x <= 1) {
            return (a + 2) * x * x * x - (a + 3) * x * x + 1;
        }
        return x < 2 ? a * x * x * x - 5 * a * x * x + 8 * a * x - 4 * a : 0;
    }

    /** A hand-computed weight: 2 -> 4 upsampling, output 1 sits at source 0.25 (t = 0.25). */
    @Test
    void matchesHandComputedKernel() {
        double[][] w = BicubicResize.axis(2, 4);
        double a = -0.75;
        double t = 0.25;
        double far = ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a; // index -1, clamped to 0
        double near = ((a + 2) * t - (a + 3)) * t * t + 1; // index 0
        assertEquals(far + near, w[1][0], 1e-12);
        assertEquals(1 - far - near, w[1][1], 1e-12);
    }
}

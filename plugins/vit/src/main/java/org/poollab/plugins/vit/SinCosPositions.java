package org.poollab.plugins.vit;

import org.poollab.api.backbone.Grid;

/**
 * MoCo v3's fixed 2-D sin-cos positional embedding ({@code build_2d_sincos_position_embedding} of its
 * {@code vits.py}): with {@code omega_i = 10000^(-i / (d/4))}, {@code i < d/4}, the token at row r and column c of the
 * grid gets {@code [sin(r omega), cos(r omega), sin(c omega), cos(c omega)]}. On square grids, the only ones the
 * reference builds, this is the reference's table token for token (its meshgrid puts the row index first).
 */
final class SinCosPositions {

    private static final double TEMPERATURE = 10000;

    private SinCosPositions() {
    }

    /**
     * @param dim d, divisible by 4
     * @return {@code [N][d]}, rows in the patch order (row-major over the grid)
     */
    static double[][] of(Grid grid, int dim) {
        int quarter = dim / 4;
        double[][] out = new double[grid.tokens()][dim];
        for (int row = 0; row < grid.height(); row++) {
            for (int column = 0; column < grid.width(); column++) {
                double[] position = out[row * grid.width() + column];
                for (int i = 0; i < quarter; i++) {
                    double omega = 1 / Math.pow(TEMPERATURE, (double) i / quarter);
                    position[i] = Math.sin(row * omega);
                    position[quarter + i] = Math.cos(row * omega);
                    position[2 * quarter + i] = Math.sin(column * omega);
                    position[3 * quarter + i] = Math.cos(column * omega);
                }
            }
        }
        return out;
    }
}

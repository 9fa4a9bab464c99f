package org.poollab.api.graph;

/**
 * Bicubic resampling of a grid as a fixed linear map, matching PyTorch's
 * {@code interpolate(mode="bicubic", align_corners=False)} (cubic convolution, A = -0.75, borders clamped).
 * Resizing is linear in the values, so resizing a positional embedding is one matrix multiply: the ViT does it in
 * its graph for crops of another size, and checkpoint import does it once for a checkpoint trained at another
 * resolution (timm's {@code resample_abs_pos_embed}).
 */
public final class BicubicResize {

    private static final double A = -0.75;

    private BicubicResize() {
    }

    /**
     * The matrix that maps a row-major {@code fromH x fromW} grid to a {@code toH x toW} grid.
     *
     * @return {@code [toH*toW][fromH*fromW]}
     */
    public static double[][] matrix(int fromH, int fromW, int toH, int toW) {
        double[][] rows = axis(fromH, toH);
        double[][] cols = axis(fromW, toW);
        double[][] out = new double[toH * toW][fromH * fromW];
        for (int oy = 0; oy < toH; oy++) {
            for (int ox = 0; ox < toW; ox++) {
                for (int iy = 0; iy < fromH; iy++) {
                    for (int ix = 0; ix < fromW; ix++) {
                        out[oy * toW + ox][iy * fromW + ix] = rows[oy][iy] * cols[ox][ix];
                    }
                }
            }
        }
        return out;
    }

    /** One axis: {@code [to][from]} weights. */
    public static double[][] axis(int from, int to) {
        double[][] weights = new double[to][from];
        double scale = (double) from / to;
        for (int o = 0; o < to; o++) {
            double source = (o + 0.5) * scale - 0.5;
            int base = (int) Math.floor(source);
            double t = source - base;
            double[] kernel = {cubicFar(t + 1), cubicNear(t), cubicNear(1 - t), cubicFar(2 - t)};
            for (int k = 0; k < 4; k++) {
                int index = Math.min(Math.max(base - 1 + k, 0), from - 1);
                weights[o][index] += kernel[k];
            }
        }
        return weights;
    }

    /** Keys' kernel for |x| <= 1. */
    private static double cubicNear(double x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    /** Keys' kernel for 1 < |x| < 2. */
    private static double cubicFar(double x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }
}

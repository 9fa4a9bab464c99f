package org.poollab.data.augment;

/**
 * Resizes a box of an image, channel by channel, with a separable, antialiased bicubic filter (the rule of PIL's
 * {@code resize(..., BICUBIC, box)}, which torchvision's RandomResizedCrop uses): when shrinking, the filter's
 * support widens by the shrink factor, so downscaled crops are not aliased.
 */
public final class Resampler {

    private static final double SUPPORT = 2.0;
    private static final double A = -0.5;

    private Resampler() {
    }

    /**
     * The centred square of side {@code min(height, width)}, resized to {@code out x out}: torchvision's
     * {@code Resize(out)} then {@code CenterCrop(out)}, up to the filter's reach at the square's edges.
     *
     * @param image planar {@code [channels, height, width]}, values in [0, 1]
     * @return planar {@code [channels, out, out]}, clipped to [0, 1]
     */
    public static float[] centreSquare(float[] image, int channels, int height, int width, int out) {
        int side = Math.min(height, width);
        return resize(image, channels, height, width,
                new CropBox((height - side) / 2, (width - side) / 2, side, side), out);
    }

    /**
     * @param image planar {@code [channels, height, width]}
     * @param box the source box
     * @param out output side (square output)
     * @return planar {@code [channels, out, out]}; each channel resized alike
     */
    public static float[] resize(float[] image, int channels, int height, int width, CropBox box, int out) {
        Coefficients horizontal = Coefficients.of(box.left(), box.width(), width, out);
        Coefficients vertical = Coefficients.of(box.top(), box.height(), height, out);
        float[] rows = new float[height * out];
        float[] result = new float[channels * out * out];
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < out; x++) {
                    rows[y * out + x] = (float) horizontal.apply(x, image, plane + y * width, 1);
                }
            }
            for (int y = 0; y < out; y++) {
                for (int x = 0; x < out; x++) {
                    result[(c * out + y) * out + x] = (float) vertical.apply(y, rows, x, out);
                }
            }
        }
        return result;
    }

    /** The bicubic kernel with a = -0.5. */
    static double bicubic(double x) {
        double t = Math.abs(x);
        if (t < 1) {
            return ((A + 2) * t - (A + 3)) * t * t + 1;
        }
        if (t < 2) {
            return (((t - 5) * t + 8) * t - 4) * A;
        }
        return 0;
    }

    /** For each output index, the first input index and the normalised weights of the inputs it reads. */
    private record Coefficients(int[] first, double[][] weights) {

        static Coefficients of(double start, double extent, int inputSize, int outputSize) {
            double scale = extent / outputSize;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            int[] first = new int[outputSize];
            double[][] weights = new double[outputSize][];
            for (int o = 0; o < outputSize; o++) {
                double center = start + (o + 0.5) * scale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int max = Math.min((int) (center + support + 0.5), inputSize);
                double[] w = new double[Math.max(max - min, 0)];
                double total = 0;
                for (int i = 0; i < w.length; i++) {
                    w[i] = bicubic((i + min - center + 0.5) / filterScale);
                    total += w[i];
                }
                for (int i = 0; i < w.length && total != 0; i++) {
                    w[i] /= total;
                }
                first[o] = min;
                weights[o] = w;
            }
            return new Coefficients(first, weights);
        }

        /** Weighted sum of {@code data[offset + (first + i) * stride]}, clipped to [0, 1] like 8-bit output. */
        double apply(int output, float[] data, int offset, int stride) {
            double sum = 0;
            double[] w = weights[output];
            for (int i = 0; i < w.length; i++) {
                sum += w[i] * data[offset + (first[output] + i) * stride];
            }
            return Math.min(1, Math.max(0, sum));
        }
    }
}

package org.poollab.data.augment;

import java.util.SplittableRandom;

/** In-place photometric changes of a grey-level image {@code [h, w]} with values in [0, 1]. */
final class Photometric {

    private Photometric() {
    }

    /** Mirrors each row. */
    static void flip(float[] image, int size) {
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size / 2; x++) {
                int a = y * size + x;
                int b = y * size + size - 1 - x;
                float t = image[a];
                image[a] = image[b];
                image[b] = t;
            }
        }
    }

    /**
     * torchvision's ColorJitter for grey levels: brightness (scale by f) and contrast (blend with the mean by f),
     * each factor uniform in [1 - s, 1 + s], applied in a random order, clipped to [0, 1].
     */
    static void jitter(float[] image, double brightness, double contrast, SplittableRandom random) {
        boolean brightnessFirst = random.nextBoolean();
        double b = 1 + brightness * (2 * random.nextDouble() - 1);
        double c = 1 + contrast * (2 * random.nextDouble() - 1);
        if (brightnessFirst) {
            scale(image, b);
            blendWithMean(image, c);
        } else {
            blendWithMean(image, c);
            scale(image, b);
        }
    }

    /** Gaussian blur with reflected borders; the kernel spans 3 sigma on each side. */
    static void blur(float[] image, int size, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] kernel = new double[2 * radius + 1];
        double total = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            total += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= total;
        }
        float[] rows = new float[image.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double sum = 0;
                for (int k = -radius; k <= radius; k++) {
                    sum += kernel[k + radius] * image[y * size + reflect(x + k, size)];
                }
                rows[y * size + x] = (float) sum;
            }
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double sum = 0;
                for (int k = -radius; k <= radius; k++) {
                    sum += kernel[k + radius] * rows[reflect(y + k, size) * size + x];
                }
                image[y * size + x] = (float) sum;
            }
        }
    }

    /** PIL's solarise at threshold 128 of 255: values at or above one half become 1 - value. */
    static void solarize(float[] image) {
        for (int i = 0; i < image.length; i++) {
            if (image[i] >= 128f / 255f) {
                image[i] = 1 - image[i];
            }
        }
    }

    private static void scale(float[] image, double factor) {
        for (int i = 0; i < image.length; i++) {
            image[i] = clip(image[i] * factor);
        }
    }

    private static void blendWithMean(float[] image, double factor) {
        double mean = 0;
        for (float v : image) {
            mean += v;
        }
        mean /= image.length;
        for (int i = 0; i < image.length; i++) {
            image[i] = clip(mean + (image[i] - mean) * factor);
        }
    }

    private static float clip(double v) {
        return (float) Math.min(1, Math.max(0, v));
    }

    private static int reflect(int i, int size) {
        if (size == 1) {
            return 0;
        }
        int period = 2 * (size - 1);
        int m = Math.floorMod(i, period);
        return m < size ? m : period - m;
    }
}

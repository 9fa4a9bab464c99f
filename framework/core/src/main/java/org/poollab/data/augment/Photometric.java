package org.poollab.data.augment;

import java.util.SplittableRandom;
import org.poollab.data.ImageDataset;

/**
 * In-place photometric changes of a square image, planar {@code [C, size, size]} with C = 1 (grey) or 3 (red,
 * green, blue) and values in [0, 1], as torchvision defines them for float tensors
 * ({@code torchvision.transforms.functional}). On grey images saturation, hue and grayscale change nothing, so
 * DINO's colour jitter reduces to brightness and contrast there (docs/method.md §6).
 */
public final class Photometric {

    private static final int BRIGHTNESS = 0;
    private static final int CONTRAST = 1;
    private static final int SATURATION = 2;
    private static final int HUE = 3;

    private Photometric() {
    }

    /** Mirrors each row of every channel. */
    public static void flip(float[] image, int size) {
        for (int row = 0; row < image.length / size; row++) {
            for (int x = 0; x < size / 2; x++) {
                int a = row * size + x;
                int b = row * size + size - 1 - x;
                float t = image[a];
                image[a] = image[b];
                image[b] = t;
            }
        }
    }

    /**
     * torchvision's {@code ColorJitter(brightness, contrast, saturation, hue)}: factors uniform in [1 - s, 1 + s]
     * (hue: a shift uniform in [-h, h] of a turn), the four changes applied in a random order.
     */
    static void jitter(float[] image, int channels, double brightness, double contrast, double saturation,
                       double hue, SplittableRandom random) {
        int[] order = {BRIGHTNESS, CONTRAST, SATURATION, HUE};
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double b = factor(brightness, random);
        double c = factor(contrast, random);
        double s = factor(saturation, random);
        double h = hue * (2 * random.nextDouble() - 1);
        for (int change : order) {
            switch (change) {
                case BRIGHTNESS -> brightness(image, b);
                case CONTRAST -> contrast(image, channels, c);
                case SATURATION -> saturation(image, channels, s);
                default -> hue(image, channels, h);
            }
        }
    }

    /** {@code adjust_brightness}: every value scaled by {@code factor}, clipped to [0, 1]. */
    static void brightness(float[] image, double factor) {
        for (int i = 0; i < image.length; i++) {
            image[i] = clip(image[i] * factor);
        }
    }

    /**
     * {@code adjust_contrast}: a blend with the mean grey level of the whole image, {@code m + f (x - m)},
     * clipped.
     */
    static void contrast(float[] image, int channels, double factor) {
        float[] grey = grey(image, channels);
        double mean = 0;
        for (float v : grey) {
            mean += v;
        }
        mean /= grey.length;
        for (int i = 0; i < image.length; i++) {
            image[i] = clip(mean + (image[i] - mean) * factor);
        }
    }

    /** {@code adjust_saturation}: a per-pixel blend with the pixel's grey level, {@code g + f (x - g)}, clipped. */
    static void saturation(float[] image, int channels, double factor) {
        if (channels == 1) {
            return;
        }
        float[] grey = grey(image, channels);
        for (int i = 0; i < image.length; i++) {
            float g = grey[i % grey.length];
            image[i] = clip(g + (image[i] - g) * factor);
        }
    }

    /** {@code adjust_hue}: the hue in HSV turned by {@code shift} of a full turn (in [-0.5, 0.5]). */
    static void hue(float[] image, int channels, double shift) {
        if (channels == 1) {
            return;
        }
        int area = image.length / 3;
        for (int p = 0; p < area; p++) {
            float r = image[p];
            float g = image[area + p];
            float b = image[2 * area + p];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float chroma = max - min;
            if (chroma == 0) {
                continue; // grey pixels have no hue to turn
            }
            double h;
            if (max == r) {
                h = (g - b) / chroma;
            } else if (max == g) {
                h = 2 + (b - r) / chroma;
            } else {
                h = 4 + (r - g) / chroma;
            }
            h = h / 6 + shift;
            h -= Math.floor(h);
            double s = chroma / max;
            double sector = h * 6;
            int i = (int) Math.floor(sector) % 6;
            double f = sector - Math.floor(sector);
            float v = max;
            float lo = clip(v * (1 - s));
            float down = clip(v * (1 - s * f));
            float up = clip(v * (1 - s * (1 - f)));
            float[][] rgb = {{v, up, lo}, {down, v, lo}, {lo, v, up}, {lo, down, v}, {up, lo, v}, {v, lo, down}};
            image[p] = rgb[i][0];
            image[area + p] = rgb[i][1];
            image[2 * area + p] = rgb[i][2];
        }
    }

    /** {@code rgb_to_grayscale} with three output channels: every channel becomes the ITU-R 601 luma. */
    static void grayscale(float[] image, int channels) {
        if (channels == 1) {
            return;
        }
        float[] grey = grey(image, channels);
        for (int i = 0; i < image.length; i++) {
            image[i] = grey[i % grey.length];
        }
    }

    /** Gaussian blur of every channel with reflected borders; the kernel spans 3 sigma on each side. */
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
        int area = size * size;
        float[] rows = new float[area];
        for (int plane = 0; plane < image.length; plane += area) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double sum = 0;
                    for (int k = -radius; k <= radius; k++) {
                        sum += kernel[k + radius] * image[plane + y * size + reflect(x + k, size)];
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
                    image[plane + y * size + x] = (float) sum;
                }
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

    /** The grey level of each pixel, {@code [area]}: the image itself when grey, else its luma. */
    private static float[] grey(float[] image, int channels) {
        if (channels == 1) {
            return image.clone();
        }
        int area = image.length / 3;
        float[] grey = new float[area];
        for (int p = 0; p < area; p++) {
            for (int c = 0; c < 3; c++) {
                grey[p] += ImageDataset.LUMA[c] * image[c * area + p];
            }
        }
        return grey;
    }

    /** A factor uniform in [max(0, 1 - spread), 1 + spread], as ColorJitter draws it. */
    private static double factor(double spread, SplittableRandom random) {
        double low = Math.max(0, 1 - spread);
        return low + (1 + spread - low) * random.nextDouble();
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

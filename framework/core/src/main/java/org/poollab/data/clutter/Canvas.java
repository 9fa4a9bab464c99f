package org.poollab.data.clutter;

import java.awt.Color;
import java.util.SplittableRandom;

/**
 * A square colour image being painted, planar {@code [3, size, size]} with levels in [0, 1].
 */
final class Canvas {

    private final int size;
    private final float[] rgb;

    Canvas(int size) {
        this.size = size;
        this.rgb = new float[3 * size * size];
    }

    int size() {
        return size;
    }

    /** The painted levels, planar {@code [3, size, size]} (not a copy). */
    float[] levels() {
        return rgb;
    }

    /** Sets pixel (y, x) to {@code colour}. */
    void set(int y, int x, float[] colour) {
        int p = y * size + x;
        for (int c = 0; c < 3; c++) {
            rgb[c * size * size + p] = colour[c];
        }
    }

    /** Blends {@code colour} into pixel (y, x) with weight {@code alpha}. */
    void blend(int y, int x, float[] colour, double alpha) {
        int p = y * size + x;
        for (int c = 0; c < 3; c++) {
            int i = c * size * size + p;
            rgb[i] = (float) ((1 - alpha) * rgb[i] + alpha * colour[c]);
        }
    }

    /**
     * A random colour: hue uniform, saturation and brightness uniform in the given ranges.
     *
     * @param saturation {@code [low, high]} within [0, 1]
     * @param brightness {@code [low, high]} within [0, 1]
     */
    static float[] randomColour(SplittableRandom random, double[] saturation, double[] brightness) {
        int packed = Color.HSBtoRGB((float) random.nextDouble(),
                (float) (saturation[0] + (saturation[1] - saturation[0]) * random.nextDouble()),
                (float) (brightness[0] + (brightness[1] - brightness[0]) * random.nextDouble()));
        return new float[] {((packed >> 16) & 0xFF) / 255f, ((packed >> 8) & 0xFF) / 255f, (packed & 0xFF) / 255f};
    }
}

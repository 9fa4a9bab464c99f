package org.poollab.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The colour operations against independent computations: the JDK's own HSB conversion for the hue, ITU-R 601
 * luma written out here for grayscale, saturation and contrast.
 */
class PhotometricTest {

    private static final int SIZE = 5;
    private static final int AREA = SIZE * SIZE;

    /** A random colour image, planar {@code [3, SIZE, SIZE]}, with levels that are exact multiples of 1/255. */
    private static float[] colourImage(long seed) {
        Random random = new Random(seed);
        float[] image = new float[3 * AREA];
        for (int i = 0; i < image.length; i++) {
            image[i] = random.nextInt(256) / 255f;
        }
        return image;
    }

    private static double luma(float[] image, int p) {
        return 0.299 * image[p] + 0.587 * image[AREA + p] + 0.114 * image[2 * AREA + p];
    }

    @Test
    void theHueTurnsAsInTheJdksHsbConversion() {
        for (double shift : new double[] {0.1, -0.1, 0.37, -0.5}) {
            float[] image = colourImage(7);
            float[] original = image.clone();
            Photometric.hue(image, 3, shift);
            for (int p = 0; p < AREA; p++) {
                int r = Math.round(original[p] * 255);
                int g = Math.round(original[AREA + p] * 255);
                int b = Math.round(original[2 * AREA + p] * 255);
                float[] hsb = Color.RGBtoHSB(r, g, b, null);
                double turned = hsb[0] + shift;
                Color expected = new Color(Color.HSBtoRGB((float) (turned - Math.floor(turned)), hsb[1], hsb[2]));
                int[] want = {expected.getRed(), expected.getGreen(), expected.getBlue()};
                for (int c = 0; c < 3; c++) {
                    assertEquals(want[c], image[c * AREA + p] * 255, 1.0, "shift " + shift + ", pixel " + p
                            + ", channel " + c);
                }
            }
        }
    }

    @Test
    void grayscalePutsTheLumaInEveryChannel() {
        float[] image = colourImage(1);
        float[] original = image.clone();
        Photometric.grayscale(image, 3);
        for (int p = 0; p < AREA; p++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(luma(original, p), image[c * AREA + p], 1e-6);
            }
        }
    }

    @Test
    void saturationBlendsEachPixelWithItsGreyLevel() {
        float[] original = colourImage(2);
        float[] none = original.clone();
        Photometric.saturation(none, 3, 0);
        float[] grey = original.clone();
        Photometric.grayscale(grey, 3);
        assertArrayEquals(grey, none, 1e-6f, "factor 0 is grayscale");
        float[] same = original.clone();
        Photometric.saturation(same, 3, 1);
        assertArrayEquals(original, same, 1e-6f, "factor 1 changes nothing");
        float[] doubled = original.clone();
        Photometric.saturation(doubled, 3, 2);
        for (int i = 0; i < doubled.length; i++) {
            double g = luma(original, i % AREA);
            assertEquals(Math.min(1, Math.max(0, 2 * original[i] - g)), doubled[i], 1e-6);
        }
    }

    @Test
    void contrastBlendsWithTheMeanGreyLevelOfTheWholeImage() {
        float[] original = colourImage(3);
        double mean = 0;
        for (int p = 0; p < AREA; p++) {
            mean += luma(original, p) / AREA;
        }
        float[] flat = original.clone();
        Photometric.contrast(flat, 3, 0);
        for (float v : flat) {
            assertEquals(mean, v, 1e-6, "factor 0 leaves only the mean grey level");
        }
        float[] half = original.clone();
        Photometric.contrast(half, 3, 0.5);
        for (int i = 0; i < half.length; i++) {
            assertEquals(mean + 0.5 * (original[i] - mean), half[i], 1e-6);
        }
    }

    @Test
    void brightnessScalesAndClips() {
        float[] image = {0.2f, 0.5f, 0.9f};
        Photometric.brightness(image, 1.5);
        assertArrayEquals(new float[] {0.3f, 0.75f, 1f}, image, 1e-6f);
    }

    @Test
    void onGreyImagesOnlyBrightnessAndContrastChangeAnything() {
        float[] grey = new float[AREA];
        for (int p = 0; p < AREA; p++) {
            grey[p] = p / (float) AREA;
        }
        float[] image = grey.clone();
        Photometric.saturation(image, 1, 0);
        Photometric.hue(image, 1, 0.3);
        Photometric.grayscale(image, 1);
        assertArrayEquals(grey, image);
    }

    @Test
    void jitterWithoutSpreadChangesNothingAndItsFactorsStayInRange() {
        float[] original = colourImage(4);
        float[] image = original.clone();
        Photometric.jitter(image, 3, 0, 0, 0, 0, new SplittableRandom(0));
        assertArrayEquals(original, image, 1e-6f);
        // brightness alone on an unclipped grey level: the factor is the ratio, uniform in [0.6, 1.4]
        double low = 2;
        double high = 0;
        for (int seed = 0; seed < 200; seed++) {
            float[] level = {0.5f};
            Photometric.jitter(level, 1, 0.4, 0, 0, 0, new SplittableRandom(seed));
            double factor = level[0] / 0.5;
            low = Math.min(low, factor);
            high = Math.max(high, factor);
        }
        assertTrue(low >= 0.6 - 1e-6 && low < 0.7 && high <= 1.4 + 1e-6 && high > 1.3, low + " .. " + high);
    }

    @Test
    void flipMirrorsEveryChannel() {
        float[] image = colourImage(5);
        float[] original = image.clone();
        Photometric.flip(image, SIZE);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    assertEquals(original[(c * SIZE + y) * SIZE + SIZE - 1 - x], image[(c * SIZE + y) * SIZE + x]);
                }
            }
        }
    }
}

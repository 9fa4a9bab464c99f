package org.poollab.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    private static float[] randomImage(int size) {
        Random random = new Random(1);
        float[] image = new float[size * size];
        for (int i = 0; i < image.length; i++) {
            image[i] = random.nextFloat();
        }
        return image;
    }

    @Test
    void theWholeImageAtItsOwnSizeIsUnchanged() {
        float[] image = randomImage(9);
        float[] out = Resampler.resize(image, 1, 9, 9, new CropBox(0, 0, 9, 9), 9);
        for (int i = 0; i < image.length; i++) {
            assertEquals(image[i], out[i], 1e-6);
        }
    }

    @Test
    void aConstantImageStaysConstantAtAnyScale() {
        float[] image = new float[28 * 28];
        java.util.Arrays.fill(image, 0.3f);
        for (int size : new int[] {5, 12, 28, 40}) {
            for (float v : Resampler.resize(image, 1, 28, 28, new CropBox(3, 5, 17, 11), size)) {
                assertEquals(0.3f, v, 1e-6);
            }
        }
    }

    @Test
    void halvingAveragesNeighboursWithTheWidenedBicubicKernel() {
        // Downscaling by 2 widens the kernel to 4 input pixels on each side: output pixel 1 of a row is centred
        // on input 3.0 (between pixels 2 and 3); its weights are K((i + 0.5 - 4) / 2), normalised.
        float[] image = new float[64];
        for (int i = 0; i < 64; i++) {
            image[i] = (float) (0.5 + 0.3 * Math.sin(i * 0.7)); // stays inside [0, 1] after filtering
        }
        float[] out = Resampler.resize(image, 1, 8, 8, new CropBox(0, 0, 8, 8), 4);
        double[] weightsX = new double[8];
        double total = 0;
        for (int i = 0; i < 8; i++) {
            weightsX[i] = Resampler.bicubic((i + 0.5 - 3.0) / 2);
            total += weightsX[i];
        }
        double expected = 0;
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                expected += weightsX[y] / total * weightsX[x] / total * image[y * 8 + x];
            }
        }
        assertEquals(expected, out[4 + 1], 1e-5);
    }
}

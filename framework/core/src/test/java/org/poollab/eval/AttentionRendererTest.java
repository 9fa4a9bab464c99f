package org.poollab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttentionRendererTest {

    private static final int SIZE = 4;

    @Test
    void tilesFormAGridOfScaledImages() {
        List<float[]> images = List.of(new float[16], new float[16], new float[16]);
        List<double[]> maps = List.of(new double[4], new double[4], new double[4]);
        BufferedImage grid = new AttentionRenderer(5, 2).render(images, maps, 1, SIZE, SIZE, 2, 2);
        assertEquals(2 * SIZE * 5, grid.getWidth());
        assertEquals(2 * SIZE * 5, grid.getHeight());
    }

    @Test
    void thePeakOfTheMapIsDrawnInTheTopColourOverItsToken() {
        // all attention on token 3 (bottom-right quarter of the 4x4 image on a 2x2 grid)
        BufferedImage tile = new AttentionRenderer(3, 1).render(List.of(new float[16]),
                List.of(new double[] {0, 0, 0, 1}), 1, SIZE, SIZE, 2, 2);
        int[] top = AttentionRenderer.colour(1);
        int[] bottom = AttentionRenderer.colour(0);
        int peak = tile.getRGB(9, 9); // token 3 covers tile pixels 6..11 in both axes; 9 is inside its outline
        int cold = tile.getRGB(1, 1); // token 0
        assertArrayEquals(blend(top), rgb(peak));
        assertArrayEquals(blend(bottom), rgb(cold));
        assertTrue(rgb(peak)[0] > rgb(cold)[0], "yellow over the peak, dark blue elsewhere");
        assertEquals(0xFFFFFF, tile.getRGB(9, 6) & 0xFFFFFF, "the 60 % region's outline is white");
    }

    @Test
    void colourImagesAreDrawnInTheirColoursUnderTheMap() {
        float[] red = new float[3 * 16];
        java.util.Arrays.fill(red, 0, 16, 1f); // planar [3, 4, 4]: red plane 1, green and blue 0
        BufferedImage tile = new AttentionRenderer(3, 1).render(List.of(red),
                List.of(new double[] {0, 0, 0, 1}), 3, SIZE, SIZE, 2, 2);
        int[] cold = AttentionRenderer.colour(0);
        int[] expected = blend(cold);
        expected[0] = (int) Math.round(0.45 * 255 + 0.55 * cold[0]);
        assertArrayEquals(expected, rgb(tile.getRGB(1, 1)), "red under the map's coldest colour");
    }

    /** A colour over a black pixel with the renderer's map weight. */
    private static int[] blend(int[] colour) {
        int[] out = new int[3];
        for (int c = 0; c < 3; c++) {
            out[c] = (int) Math.round(0.55 * colour[c]);
        }
        return out;
    }

    private static int[] rgb(int pixel) {
        return new int[] {(pixel >> 16) & 0xFF, (pixel >> 8) & 0xFF, pixel & 0xFF};
    }
}

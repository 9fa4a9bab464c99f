package org.poollab.data.clutter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.poollab.data.FashionMnist;
import org.poollab.data.ImageDataset;
import org.poollab.data.augment.Resampler;
import org.poollab.eval.AttentionJaccard;

/** fashion-clutter on the real Fashion-MNIST items: determinism, exact masks, and what a uniform map scores. */
class FashionClutterTest {

    private static final int SIZE = 64;
    private static final int SCENES = 200;
    private static ImageDataset items;

    @BeforeAll
    static void readItems() {
        items = FashionMnist.test(Path.of("/usr/share/datasets/fashion-mnist"));
    }

    private static int[] first(int n) {
        int[] chosen = new int[n];
        Arrays.setAll(chosen, i -> i);
        return chosen;
    }

    @Test
    void theSameIndexGivesTheSameBytesAndASubsetHoldsTheWholeSetsScenes() {
        ImageDataset a = FashionClutter.scenes(items, true, SIZE, first(20));
        ImageDataset b = FashionClutter.scenes(items, true, SIZE, first(20));
        assertArrayEquals(a.pixels(), b.pixels());
        assertArrayEquals(a.masks(), b.masks());
        ImageDataset picked = FashionClutter.scenes(items, true, SIZE, new int[] {7, 3});
        int length = 3 * SIZE * SIZE;
        assertArrayEquals(Arrays.copyOfRange(a.pixels(), 7 * length, 8 * length),
                Arrays.copyOfRange(picked.pixels(), 0, length), "scene 7 alone is scene 7 of the whole");
        assertEquals(items.labels()[3], picked.labels()[1]);
        ImageDataset train = FashionClutter.scenes(items, false, SIZE, first(1));
        assertTrue(!Arrays.equals(Arrays.copyOf(a.pixels(), length), train.pixels()),
                "the train and test splits draw from different seeds");
    }

    @Test
    void theMaskHoldsExactlyThePixelsTheObjectPainted() {
        for (int i = 0; i < 30; i++) {
            ClutterScene scene = FashionClutter.scene(items, i, true, SIZE, true);
            ClutterScene without = FashionClutter.scene(items, i, true, SIZE, false);
            int area = SIZE * SIZE;
            int objectPixels = 0;
            for (int p = 0; p < area; p++) {
                boolean changed = false;
                for (int c = 0; c < 3; c++) {
                    changed |= scene.rgb()[c * area + p] != without.rgb()[c * area + p];
                }
                if (!scene.mask()[p]) {
                    assertTrue(!changed, "scene " + i + ": pixel " + p + " outside the mask differs from the "
                            + "scene without its object");
                }
                objectPixels += scene.mask()[p] ? 1 : 0;
            }
            assertEquals(itemPixelsAtSomeScale(i, objectPixels), objectPixels,
                    "scene " + i + ": the mask has as many pixels as the resized item has object levels");
        }
    }

    /**
     * The count of resized item levels at or above the object level at the scale that gives {@code count}, if
     * any scale does: the object lies wholly inside the scene, so its mask is exactly those pixels.
     */
    private static int itemPixelsAtSomeScale(int index, int count) {
        for (int side = (int) (0.5 * SIZE) - 1; side <= (int) (0.8 * SIZE) + 1; side++) {
            float[] levels = Resampler.centreSquare(items.image(index), 1, 28, 28, side);
            int above = 0;
            for (float level : levels) {
                above += level >= ClutterScene.OBJECT_LEVEL ? 1 : 0;
            }
            if (above == count) {
                return above;
            }
        }
        return -1;
    }

    @Test
    void aUniformMapScoresTheObjectsAreaFractionWellUnderAThird() {
        ImageDataset scenes = FashionClutter.scenes(items, true, SIZE, first(SCENES));
        double[] uniform = new double[16];
        Arrays.fill(uniform, 1.0 / 16);
        double jaccard = 0;
        double area = 0;
        for (int i = 0; i < SCENES; i++) {
            boolean[] mask = scenes.mask(i);
            jaccard += AttentionJaccard.jaccard(uniform, 4, 4, mask, SIZE, SIZE) / SCENES;
            int object = 0;
            for (boolean m : mask) {
                object += m ? 1 : 0;
            }
            area += (double) object / mask.length / SCENES;
        }
        assertEquals(area, jaccard, 1e-12, "a uniform map selects every pixel, so it scores the area fraction");
        System.out.printf("fashion-clutter: mean object area fraction %.4f%n", area);
        assertTrue(area > 0.1 && area < 0.3, "mean object area fraction " + area);
    }
}

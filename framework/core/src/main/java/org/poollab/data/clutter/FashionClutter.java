package org.poollab.data.clutter;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.poollab.config.DataConfig;
import org.poollab.data.ImageDataset;

/**
 * {@code data.dataset: fashion-clutter}: each Fashion-MNIST image becomes a colour scene ({@link ClutterScene})
 * of its label with the object's exact mask; same 10 classes, same 60k / 10k split, nothing downloaded. Scene
 * {@code i} of a split depends only on (split, i, size), so every run, and {@code poollab data export}, sees the
 * same bytes.
 */
public final class FashionClutter {

    /** The id in {@code data.dataset}. */
    public static final String ID = DataConfig.FASHION_CLUTTER;
    private static final long TRAIN_STREAM = 0x5eed_c1a7_7e00L;
    private static final long TEST_STREAM = 0x5eed_c1a7_7e01L;

    private FashionClutter() {
    }

    /**
     * Scenes of a split.
     *
     * @param items the split's grey Fashion-MNIST images, all of them (distractors come from the whole split)
     * @param test whether this is the test split (the splits draw from different seeds)
     * @param size side of the scenes
     * @param chosen the items to make scenes of, in this order (all of them, or a seeded subset)
     * @return colour images {@code [chosen.length, 3, size, size]} with object masks and the items' labels
     */
    public static ImageDataset scenes(ImageDataset items, boolean test, int size, int[] chosen) {
        int n = chosen.length;
        int length = 3 * size * size;
        int area = size * size;
        byte[] pixels = new byte[n * length];
        byte[] masks = new byte[n * area];
        IntStream.range(0, n).parallel().forEach(i -> {
            ClutterScene scene = scene(items, chosen[i], test, size, true);
            for (int p = 0; p < length; p++) {
                pixels[i * length + p] = (byte) Math.round(scene.rgb()[p] * 255);
            }
            for (int p = 0; p < area; p++) {
                masks[i * area + p] = (byte) (scene.mask()[p] ? 1 : 0);
            }
        });
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = items.labels()[chosen[i]];
        }
        return new ImageDataset(pixels, labels, 3, size, size, items.classes(), masks);
    }

    /**
     * One scene, from its own seed.
     *
     * @param withObject false leaves the object out (the rest is painted alike)
     */
    static ClutterScene scene(ImageDataset items, int index, boolean test, int size, boolean withObject) {
        SplittableRandom random = new SplittableRandom((test ? TEST_STREAM : TRAIN_STREAM) * 1_000_003L + index);
        return ClutterScene.paint(items, index, size, random, withObject);
    }
}

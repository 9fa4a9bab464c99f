package org.poollab.data;

import java.util.SplittableRandom;

/**
 * Grayscale images as bytes plus integer labels, held in memory (Fashion-MNIST: 47 MB for 60k images).
 *
 * @param pixels row-major pixels, image {@code i} at {@code [i*H*W, (i+1)*H*W)}
 * @param labels class of each image
 * @param height H
 * @param width W
 * @param classes number of classes
 */
public record ImageDataset(byte[] pixels, int[] labels, int height, int width, int classes) {

    /** Checks that pixels and labels agree. */
    public ImageDataset {
        if (pixels.length != (long) labels.length * height * width) {
            throw new IllegalArgumentException("pixels for " + pixels.length / (height * width) + " images but "
                    + labels.length + " labels");
        }
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Pixel {@code (y, x)} of image {@code i} in [0, 255]. */
    public int pixel(int i, int y, int x) {
        return pixels[(i * height + y) * width + x] & 0xFF;
    }

    /** A seeded random subset of {@code count} images (all of them, reordered, if count >= size). */
    public ImageDataset subset(int count, long seed) {
        int n = Math.min(count, size());
        int[] order = permutation(size(), new SplittableRandom(seed));
        int area = height * width;
        byte[] p = new byte[n * area];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(pixels, order[i] * area, p, i * area, area);
            l[i] = labels[order[i]];
        }
        return new ImageDataset(p, l, height, width, classes);
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates). */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}

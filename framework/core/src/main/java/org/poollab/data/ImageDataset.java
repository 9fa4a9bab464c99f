package org.poollab.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Images of one size as bytes plus integer labels, held in memory (Fashion-MNIST: 47 MB for 60k images), with
 * optional object masks.
 *
 * @param pixels planar pixels {@code [n, C, H, W]}: image {@code i} at {@code [i*C*H*W, (i+1)*C*H*W)}, channel
 *               {@code c} of it at offset {@code c*H*W}; grey levels (C = 1) or red, green, blue (C = 3)
 * @param labels class of each image
 * @param channels C, 1 or 3
 * @param height H
 * @param width W
 * @param classes number of classes
 * @param masks object masks {@code [n, H, W]} (non-zero = object), or {@code null} when the set has none
 */
public record ImageDataset(byte[] pixels, int[] labels, int channels, int height, int width, int classes,
                           byte[] masks) implements ImageSet {

    /** ITU-R 601 luma weights of red, green and blue (PIL's {@code convert("L")}, torchvision's grayscale). */
    public static final float[] LUMA = {0.299f, 0.587f, 0.114f};

    /** Checks that pixels, masks and labels agree. */
    public ImageDataset {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images have 1 or 3 channels, not " + channels);
        }
        if (pixels.length != (long) labels.length * channels * height * width) {
            throw new IllegalArgumentException("pixels for " + pixels.length / (channels * height * width)
                    + " images but " + labels.length + " labels");
        }
        if (masks != null && masks.length != (long) labels.length * height * width) {
            throw new IllegalArgumentException("masks for " + masks.length / (height * width) + " images but "
                    + labels.length + " labels");
        }
    }

    /** Grey images without masks. */
    public ImageDataset(byte[] pixels, int[] labels, int height, int width, int classes) {
        this(pixels, labels, 1, height, width, classes, null);
    }

    @Override
    public int size() {
        return labels.length;
    }

    /** Pixels per channel plane, H * W. */
    public int area() {
        return height * width;
    }

    /** Pixel {@code (y, x)} of channel {@code c} of image {@code i} in [0, 255]. */
    public int pixel(int i, int c, int y, int x) {
        return pixels[((i * channels + c) * height + y) * width + x] & 0xFF;
    }

    /**
     * Image {@code i} scaled to [0, 1].
     *
     * @return planar {@code [C, H, W]}
     */
    public float[] image(int i) {
        int length = channels * area();
        float[] image = new float[length];
        for (int p = 0; p < length; p++) {
            image[p] = (pixels[i * length + p] & 0xFF) / 255f;
        }
        return image;
    }

    /** Whether the set carries object masks (what the attention Jaccard compares maps with). */
    @Override
    public boolean hasMasks() {
        return masks != null;
    }

    /**
     * The object mask of image {@code i}.
     *
     * @return {@code [H, W]} row-major, true = object
     * @throws IllegalStateException if the set has no masks
     */
    public boolean[] mask(int i) {
        if (masks == null) {
            throw new IllegalStateException("this data set has no object masks");
        }
        boolean[] mask = new boolean[area()];
        for (int p = 0; p < mask.length; p++) {
            mask[p] = masks[i * mask.length + p] != 0;
        }
        return mask;
    }

    /**
     * The same images with {@code target} channels: grey levels replicated over red, green and blue (as
     * torchvision's {@code Grayscale(3)}), or colour turned into ITU-R 601 luma.
     */
    public ImageDataset withChannels(int target) {
        if (target == channels) {
            return this;
        }
        int area = area();
        byte[] converted = new byte[size() * target * area];
        for (int i = 0; i < size(); i++) {
            for (int p = 0; p < area; p++) {
                if (target == 3) {
                    byte grey = pixels[i * area + p];
                    for (int c = 0; c < 3; c++) {
                        converted[(i * 3 + c) * area + p] = grey;
                    }
                } else {
                    float luma = 0;
                    for (int c = 0; c < 3; c++) {
                        luma += LUMA[c] * (pixels[(i * 3 + c) * area + p] & 0xFF);
                    }
                    converted[i * area + p] = (byte) Math.min(255, Math.round(luma));
                }
            }
        }
        return new ImageDataset(converted, labels, target, height, width, classes, masks);
    }

    @Override
    public Sample sample(int i) {
        return new Sample(image(i), channels, height, width, masks == null ? null : mask(i), labels[i]);
    }

    /** A seeded random subset of {@code count} images (all of them, reordered, if count >= size). */
    @Override
    public ImageDataset subset(int count, long seed) {
        return select(chosen(size(), count, seed));
    }

    /** The images at {@code indices}, in that order, with their labels and masks. */
    @Override
    public ImageDataset select(int[] indices) {
        int n = indices.length;
        int length = channels * area();
        byte[] p = new byte[n * length];
        byte[] m = masks == null ? null : new byte[n * area()];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(pixels, indices[i] * length, p, i * length, length);
            if (m != null) {
                System.arraycopy(masks, indices[i] * area(), m, i * area(), area());
            }
            l[i] = labels[indices[i]];
        }
        return new ImageDataset(p, l, channels, height, width, classes, m);
    }

    /**
     * The indices a seeded subset of {@code count} of {@code size} images takes, in its order: what
     * {@link #subset} keeps, for sets that make or read only the images chosen.
     *
     * @param count how many, or {@code null} for all of them in their own order
     */
    public static int[] chosen(int size, Integer count, long seed) {
        if (count == null) {
            return IntStream.range(0, size).toArray();
        }
        return Arrays.copyOf(permutation(size, new SplittableRandom(seed)), Math.min(count, size));
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

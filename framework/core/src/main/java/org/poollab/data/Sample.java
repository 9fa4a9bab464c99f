package org.poollab.data;

/**
 * One image of a data set at its own size, with its label and, where the set has them, its object mask.
 *
 * @param planes planar levels in [0, 1], {@code [channels, height, width]} row-major
 * @param channels C, 1 or 3
 * @param height rows
 * @param width columns
 * @param mask {@code [height, width]} row-major, true = object; {@code null} when the set has no masks
 * @param label the image's class
 */
public record Sample(float[] planes, int channels, int height, int width, boolean[] mask, int label) {

    /** Checks that planes and mask fit the size. */
    public Sample {
        if (planes.length != channels * height * width) {
            throw new IllegalArgumentException(planes.length + " levels for " + channels + " x " + height + " x "
                    + width);
        }
        if (mask != null && mask.length != height * width) {
            throw new IllegalArgumentException("a mask of " + mask.length + " pixels for " + height + " x " + width);
        }
    }

    /** Pixels per channel plane. */
    public int area() {
        return height * width;
    }
}

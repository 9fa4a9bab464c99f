package org.poollab.api.backbone;

/**
 * The shape of one input image, {@code [C, H, W]}.
 *
 * @param channels C
 * @param height H
 * @param width W
 */
public record ImageShape(int channels, int height, int width) {

    /** Validates positive sizes. */
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be positive, got " + channels + "x" + height + "x"
                    + width);
        }
    }
}

package org.poollab.api.backbone;

/**
 * The spatial layout of a token sequence: token {@code j} sits at row {@code j / width}, column {@code j % width}.
 *
 * @param height rows
 * @param width columns
 */
public record Grid(int height, int width) {

    /** Validates a positive size. */
    public Grid {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("grid must be at least 1x1, got " + height + "x" + width);
        }
    }

    /** N = height * width. */
    public int tokens() {
        return height * width;
    }
}

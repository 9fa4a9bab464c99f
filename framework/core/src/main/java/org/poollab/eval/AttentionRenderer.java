package org.poollab.eval;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws images (grey or colour) with their attention maps on top (docs/method.md §7 / DINO's figures): each tile is the
 * image scaled up, the map upsampled to it by nearest neighbour and blended in a blue-to-yellow colour map, and the
 * outline of the 60 %-mass region in white. Tiles form a grid of at most {@code columns} per row.
 */
public final class AttentionRenderer {

    private static final int[][] COLOURS = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98},
        {253, 231, 37}}; // viridis stops
    private static final double MAP_WEIGHT = 0.55;
    private static final int OUTLINE = 0xFFFFFF;

    private final int scale;
    private final int columns;

    /**
     * @param scale pixels per image pixel
     * @param columns tiles per row
     */
    public AttentionRenderer(int scale, int columns) {
        this.scale = scale;
        this.columns = columns;
    }

    /**
     * @param images levels in [0, 1], each planar {@code [channels, height, width]}
     * @param maps attention over tokens, each {@code [gridHeight * gridWidth]}
     * @param channels 1 (grey) or 3 (red, green, blue)
     * @return the grid as an RGB image
     */
    public BufferedImage render(List<float[]> images, List<double[]> maps, int channels, int height, int width,
                                int gridHeight, int gridWidth) {
        int rows = (images.size() + columns - 1) / columns;
        int tileH = height * scale;
        int tileW = width * scale;
        int cols = Math.min(columns, images.size());
        BufferedImage out = new BufferedImage(Math.max(1, cols * tileW), Math.max(1, rows * tileH),
                BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < images.size(); i++) {
            drawTile(out, (i % columns) * tileW, (i / columns) * tileH, images.get(i), channels, maps.get(i), height,
                    width, gridHeight, gridWidth);
        }
        return out;
    }

    private void drawTile(BufferedImage out, int left, int top, float[] image, int channels, double[] map,
                          int height, int width, int gridHeight, int gridWidth) {
        boolean[] region = AttentionJaccard.massRegion(map, AttentionJaccard.MASS);
        double max = 0;
        for (double v : map) {
            max = Math.max(max, v);
        }
        for (int y = 0; y < height * scale; y++) {
            for (int x = 0; x < width * scale; x++) {
                int token = AttentionJaccard.tokenAt(y / scale, x / scale, height, width, gridHeight, gridWidth);
                int rgb;
                if (onOutline(region, y, x, height, width, gridHeight, gridWidth)) {
                    rgb = OUTLINE;
                } else {
                    int pixel = (y / scale) * width + x / scale;
                    int[] colour = colour(max > 0 ? map[token] / max : 0);
                    rgb = 0;
                    for (int c = 0; c < 3; c++) {
                        double level = image[(channels == 3 ? c * height * width : 0) + pixel];
                        int v = (int) Math.round((1 - MAP_WEIGHT) * level * 255 + MAP_WEIGHT * colour[c]);
                        rgb = (rgb << 8) | Math.min(255, Math.max(0, v));
                    }
                }
                out.setRGB(left + x, top + y, rgb);
            }
        }
    }

    /** Whether scaled pixel (y, x) lies in the region and touches a scaled pixel outside it. */
    private boolean onOutline(boolean[] region, int y, int x, int height, int width, int gridHeight, int gridWidth) {
        if (!region[AttentionJaccard.tokenAt(y / scale, x / scale, height, width, gridHeight, gridWidth)]) {
            return false;
        }
        int[][] neighbours = {{y - 1, x}, {y + 1, x}, {y, x - 1}, {y, x + 1}};
        for (int[] n : neighbours) {
            if (n[0] < 0 || n[1] < 0 || n[0] >= height * scale || n[1] >= width * scale) {
                continue;
            }
            if (!region[AttentionJaccard.tokenAt(n[0] / scale, n[1] / scale, height, width, gridHeight, gridWidth)]) {
                return true;
            }
        }
        return false;
    }

    /** Viridis-like colour of t in [0, 1]. */
    static int[] colour(double t) {
        double position = Math.min(1, Math.max(0, t)) * (COLOURS.length - 1);
        int low = Math.min((int) position, COLOURS.length - 2);
        double f = position - low;
        int[] rgb = new int[3];
        for (int c = 0; c < 3; c++) {
            rgb[c] = (int) Math.round(COLOURS[low][c] * (1 - f) + COLOURS[low + 1][c] * f);
        }
        return rgb;
    }
}

package org.poollab.eval;

import java.util.Arrays;

/**
 * Attention-map quality (docs/method.md §7): the smallest set of tokens holding 60 % of the attention mass (DINO's
 * visualisation rule; tokens tied with the last one taken are all taken, so a uniform map selects everything),
 * upsampled to pixels by nearest neighbour, compared with the foreground mask by the Jaccard index.
 */
public final class AttentionJaccard {

    /** The share of attention mass the region holds. */
    public static final double MASS = 0.6;

    private AttentionJaccard() {
    }

    /**
     * @param map attention over tokens {@code [N]} on a {@code gridHeight x gridWidth} grid, non-negative
     * @param foreground the object mask {@code [H * W]} row-major (Fashion-MNIST: pixel > 0)
     * @return |region ∩ foreground| / |region ∪ foreground| in [0, 1] (1 when both are empty)
     */
    public static double jaccard(double[] map, int gridHeight, int gridWidth, boolean[] foreground, int height,
                                 int width) {
        boolean[] tokens = massRegion(map, MASS);
        int intersection = 0;
        int union = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean inRegion = tokens[tokenAt(y, x, height, width, gridHeight, gridWidth)];
                boolean inObject = foreground[y * width + x];
                intersection += inRegion && inObject ? 1 : 0;
                union += inRegion || inObject ? 1 : 0;
            }
        }
        return union == 0 ? 1.0 : (double) intersection / union;
    }

    /** The token under image pixel (y, x): nearest-neighbour upsampling of the grid to the image. */
    static int tokenAt(int y, int x, int height, int width, int gridHeight, int gridWidth) {
        return (y * gridHeight / height) * gridWidth + x * gridWidth / width;
    }

    /**
     * The tokens of largest weight whose sum first reaches {@code mass} of the total, plus every token tied with
     * the smallest of them.
     *
     * @param map {@code [N]}, non-negative
     * @return a flag per token
     */
    static boolean[] massRegion(double[] map, double mass) {
        double total = Arrays.stream(map).sum();
        double[] sorted = map.clone();
        Arrays.sort(sorted);
        double cumulative = 0;
        double threshold = sorted[sorted.length - 1];
        for (int i = sorted.length - 1; i >= 0; i--) {
            cumulative += sorted[i];
            threshold = sorted[i];
            if (cumulative >= mass * total) {
                break;
            }
        }
        boolean[] selected = new boolean[map.length];
        for (int i = 0; i < map.length; i++) {
            selected[i] = map[i] >= threshold;
        }
        return selected;
    }
}

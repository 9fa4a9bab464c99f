package org.poollab.data.clutter;

import java.util.SplittableRandom;
import org.poollab.data.ImageDataset;
import org.poollab.data.augment.Resampler;

/**
 * One fashion-clutter image: a Fashion-MNIST item, colourised, scaled and placed near the centre on a procedural
 * {@link Background} with distractor fragments of other items, and its exact mask. An item pixel whose resized
 * level reaches {@value #OBJECT_LEVEL} is painted over what lies below and is in the mask; every other pixel
 * keeps the background, so the mask holds the object's pixels and only those.
 *
 * @param rgb planar {@code [3, size, size]} levels in [0, 1]
 * @param mask {@code [size, size]} row-major, true = object
 */
record ClutterScene(float[] rgb, boolean[] mask) {

    static final float OBJECT_LEVEL = 0.2f;
    private static final double MIN_SCALE = 0.5;
    private static final double MAX_SCALE = 0.8;
    private static final int MIN_FRAGMENTS = 1;
    private static final int MAX_FRAGMENTS = 3;
    /** Vivid colours for objects and fragments alike: a fragment looks like a piece of an object. */
    private static final double[] SATURATION = {0.5, 1};
    private static final double[] BRIGHTNESS = {0.7, 1};

    /**
     * @param items grey Fashion-MNIST images (the object and the distractors come from here)
     * @param index the object's item
     * @param size the side of the scene
     * @param random this scene's generator (seeded by the scene's index, so a scene is the same every time)
     * @param withObject false paints the background and fragments only (what the object covers, for tests)
     */
    static ClutterScene paint(ImageDataset items, int index, int size, SplittableRandom random, boolean withObject) {
        Canvas canvas = new Canvas(size);
        Background.paint(canvas, random);
        int side = (int) Math.round(size * (MIN_SCALE + (MAX_SCALE - MIN_SCALE) * random.nextDouble()));
        int fragments = MIN_FRAGMENTS + random.nextInt(MAX_FRAGMENTS - MIN_FRAGMENTS + 1);
        for (int f = 0; f < fragments; f++) {
            fragment(canvas, items, index, side, random);
        }
        boolean[] mask = new boolean[size * size];
        float[] object = Resampler.centreSquare(items.image(index), 1, items.height(), items.width(), side);
        float[] colour = Canvas.randomColour(random, SATURATION, BRIGHTNESS);
        int top = nearCentre(size - side, random);
        int left = nearCentre(size - side, random);
        if (withObject) {
            paste(canvas, object, side, top, left, colour, mask);
        }
        return new ClutterScene(canvas.levels(), mask);
    }

    /**
     * An offset in {@code [0, free]} within the middle half of that range: objects sit off-centre but not at the
     * edges, which keeps the task learnable by a small ViT in a few epochs (anywhere in the image, one epoch of the
     * full split taught it nothing), while a uniform map still scores only the object's area.
     */
    private static int nearCentre(int free, SplittableRandom random) {
        return free / 4 + random.nextInt(free - free / 4 - free / 4 + 1);
    }

    /**
     * A random 8 to 12 pixel square of another item, at the object's scale, somewhere on the canvas: clutter that
     * looks like parts of objects, so that finding the object takes more than finding texture.
     */
    private static void fragment(Canvas canvas, ImageDataset items, int index, int objectSide,
                                 SplittableRandom random) {
        int other = random.nextInt(items.size() - 1);
        other = other >= index ? other + 1 : other;
        int crop = 8 + random.nextInt(5);
        int cropTop = random.nextInt(items.height() - crop + 1);
        int cropLeft = random.nextInt(items.width() - crop + 1);
        float[] item = items.image(other);
        float[] piece = new float[crop * crop];
        for (int y = 0; y < crop; y++) {
            System.arraycopy(item, (cropTop + y) * items.width() + cropLeft, piece, y * crop, crop);
        }
        int side = Math.max(2, (int) Math.round((double) objectSide * crop / items.height()));
        float[] scaled = Resampler.centreSquare(piece, 1, crop, crop, side);
        float[] colour = Canvas.randomColour(random, SATURATION, BRIGHTNESS);
        int top = random.nextInt(canvas.size() - side + 1) - side / 4;
        int left = random.nextInt(canvas.size() - side + 1) - side / 4;
        paste(canvas, scaled, side, top, left, colour, null);
    }

    /**
     * Paints an item's pixels of level &gt;= {@value #OBJECT_LEVEL} in {@code colour}, shaded by the level so the
     * item keeps its texture, and marks them in {@code mask} if given. Parts outside the canvas are dropped.
     */
    private static void paste(Canvas canvas, float[] levels, int side, int top, int left, float[] colour,
                              boolean[] mask) {
        float[] shaded = new float[3];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                float level = levels[y * side + x];
                int cy = top + y;
                int cx = left + x;
                if (level < OBJECT_LEVEL || cy < 0 || cx < 0 || cy >= canvas.size() || cx >= canvas.size()) {
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    shaded[c] = colour[c] * (0.3f + 0.7f * level);
                }
                canvas.set(cy, cx, shaded);
                if (mask != null) {
                    mask[cy * canvas.size() + cx] = true;
                }
            }
        }
    }
}

package org.poollab.data.clutter;

import java.util.SplittableRandom;

/**
 * The procedural clutter behind an object: a two-colour gradient, often sine stripes, and soft blobs, each with
 * random muted colours, angles and places. Distractor fragments are added by {@link ClutterScene}.
 */
final class Background {

    private static final double STRIPES_PROBABILITY = 0.6;
    /**
     * Muted, darker colours than the objects' (ClutterScene): with backgrounds as bright as the objects, a small
     * ViT learned nothing in four epochs of 10k scenes (loss stayed at ln 10); darker clutter keeps the object
     * findable by brightness and its class in its shape, as on Fashion-MNIST, while bright fragments still compete.
     */
    static final double[] SATURATION = {0.15, 0.6};
    static final double[] BRIGHTNESS = {0.1, 0.45};

    private Background() {
    }

    static void paint(Canvas canvas, SplittableRandom random) {
        int size = canvas.size();
        float[] from = Canvas.randomColour(random, SATURATION, BRIGHTNESS);
        float[] to = Canvas.randomColour(random, SATURATION, BRIGHTNESS);
        double angle = 2 * Math.PI * random.nextDouble();
        double dx = Math.cos(angle);
        double dy = Math.sin(angle);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                // position along the gradient's direction, 0 .. 1 over the image's diagonal extent
                double t = 0.5 + ((x - size / 2.0) * dx + (y - size / 2.0) * dy) / (size * Math.sqrt(2));
                canvas.set(y, x, from);
                canvas.blend(y, x, to, t);
            }
        }
        if (random.nextDouble() < STRIPES_PROBABILITY) {
            stripes(canvas, random);
        }
        int blobs = 3 + random.nextInt(4);
        for (int b = 0; b < blobs; b++) {
            blob(canvas, random);
        }
    }

    /** Sine stripes of 2 to 7 periods across the image at a random angle, blended in at up to 60 %. */
    private static void stripes(Canvas canvas, SplittableRandom random) {
        int size = canvas.size();
        float[] colour = Canvas.randomColour(random, SATURATION, BRIGHTNESS);
        double angle = Math.PI * random.nextDouble();
        double periods = 2 + 5 * random.nextDouble();
        double phase = 2 * Math.PI * random.nextDouble();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double along = (x * Math.cos(angle) + y * Math.sin(angle)) / size;
                canvas.blend(y, x, colour, 0.3 * (1 + Math.sin(2 * Math.PI * periods * along + phase)));
            }
        }
    }

    /** An ellipse with a soft edge, radii 5 % to 20 % of the side. */
    private static void blob(Canvas canvas, SplittableRandom random) {
        int size = canvas.size();
        float[] colour = Canvas.randomColour(random, SATURATION, BRIGHTNESS);
        double cy = size * random.nextDouble();
        double cx = size * random.nextDouble();
        double ry = size * (0.05 + 0.15 * random.nextDouble());
        double rx = size * (0.05 + 0.15 * random.nextDouble());
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double r = Math.hypot((y - cy) / ry, (x - cx) / rx);
                if (r < 1.2) {
                    canvas.blend(y, x, colour, Math.min(1, Math.max(0, (1.2 - r) / 0.4)));
                }
            }
        }
    }
}

package org.poollab.data.augment;

import java.util.SplittableRandom;

/**
 * A rectangle of an image in pixels.
 *
 * @param top first row
 * @param left first column
 * @param height rows
 * @param width columns
 */
record CropBox(int top, int left, int height, int width) {

    private static final double MIN_RATIO = 3.0 / 4;
    private static final double MAX_RATIO = 4.0 / 3;
    private static final int ATTEMPTS = 10;

    /**
     * torchvision's RandomResizedCrop box: area a uniform fraction of the image within {@code scale}, aspect ratio
     * log-uniform in [3/4, 4/3], position uniform; after 10 failed draws, the largest central box of allowed ratio.
     */
    static CropBox randomResized(int imageHeight, int imageWidth, double minScale, double maxScale,
                                 SplittableRandom random) {
        double area = (double) imageHeight * imageWidth;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double target = area * (minScale + (maxScale - minScale) * random.nextDouble());
            double logRatio = Math.log(MIN_RATIO) + (Math.log(MAX_RATIO) - Math.log(MIN_RATIO)) * random.nextDouble();
            double aspect = Math.exp(logRatio);
            int w = (int) Math.round(Math.sqrt(target * aspect));
            int h = (int) Math.round(Math.sqrt(target / aspect));
            if (w > 0 && w <= imageWidth && h > 0 && h <= imageHeight) {
                return new CropBox(random.nextInt(imageHeight - h + 1), random.nextInt(imageWidth - w + 1), h, w);
            }
        }
        double ratio = (double) imageWidth / imageHeight;
        int w = imageWidth;
        int h = imageHeight;
        if (ratio < MIN_RATIO) {
            h = (int) Math.round(w / MIN_RATIO);
        } else if (ratio > MAX_RATIO) {
            w = (int) Math.round(h * MAX_RATIO);
        }
        return new CropBox((imageHeight - h) / 2, (imageWidth - w) / 2, h, w);
    }
}

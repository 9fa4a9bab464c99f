package org.poollab.data.augment;

import java.util.SplittableRandom;

/**
 * A rectangle of an image in pixels; fractional where it is the image of a box of a resized image (the centre
 * crop of evaluation), so that resizing the box is resizing the whole image and cropping.
 *
 * @param top first row
 * @param left first column
 * @param height rows
 * @param width columns
 */
public record CropBox(double top, double left, double height, double width) {

    private static final double MIN_RATIO = 3.0 / 4;
    private static final double MAX_RATIO = 4.0 / 3;
    private static final int ATTEMPTS = 10;

    /**
     * torchvision's RandomResizedCrop box: area a uniform fraction of the image within {@code scale}, aspect ratio
     * log-uniform in [3/4, 4/3], position uniform; after 10 failed draws, the largest central box of allowed ratio.
     */
    public static CropBox randomResized(int imageHeight, int imageWidth, double minScale, double maxScale,
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

    /**
     * The part of an image that evaluation sees, as DINO's and timm's evaluation transform takes it: resize the
     * shorter side to {@code round(size * resizeRatio)} keeping the aspect ratio (torchvision {@code Resize(int)}),
     * then the centred {@code size x size} crop ({@code CenterCrop(size)}), returned as the box of the original
     * image that the crop covers. A ratio of 1 on a square image is the whole image.
     *
     * @param resizeRatio at least 1 (256 / 224 in DINO's k-NN evaluation)
     */
    public static CropBox centre(int imageHeight, int imageWidth, int size, double resizeRatio) {
        int shorter = (int) Math.round(size * resizeRatio);
        int resizedHeight;
        int resizedWidth;
        if (imageHeight <= imageWidth) {
            resizedHeight = shorter;
            resizedWidth = (int) ((long) shorter * imageWidth / imageHeight);
        } else {
            resizedWidth = shorter;
            resizedHeight = (int) ((long) shorter * imageHeight / imageWidth);
        }
        // torchvision's int(round((h - size) / 2.0)): Python rounds halves to even, as Math.rint does.
        double top = Math.rint((resizedHeight - size) / 2.0);
        double left = Math.rint((resizedWidth - size) / 2.0);
        double scaleY = (double) imageHeight / resizedHeight;
        double scaleX = (double) imageWidth / resizedWidth;
        return new CropBox(top * scaleY, left * scaleX, size * scaleY, size * scaleX);
    }

    /** Whether this box is the whole {@code height x width} image. */
    public boolean isWhole(int imageHeight, int imageWidth) {
        return top == 0 && left == 0 && height == imageHeight && width == imageWidth;
    }
}

package org.poollab.data;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.config.DataConfig;

/**
 * Turns dataset images into tensors normalised per channel, with the training augmentations of the supervised
 * recipe: random crop after zero padding, and horizontal flip.
 *
 * @param mean per-channel pixel mean after scaling to [0, 1]
 * @param std per-channel pixel standard deviation after scaling to [0, 1]
 * @param cropPadding padding of the random crop; 0 disables it
 * @param flip whether to flip horizontally with p = 0.5
 */
public record Preprocessing(double[] mean, double[] std, int cropPadding, boolean flip) {

    /**
     * @param channels the images' channels (the normalisation has one mean and std per channel)
     * @param augment whether to apply the configured augmentations (training) or none (evaluation)
     */
    public static Preprocessing of(DataConfig data, int channels, boolean augment) {
        return new Preprocessing(data.means(channels), data.stds(channels), augment ? data.cropPadding() : 0,
                augment && data.flip());
    }

    /**
     * Images {@code [start, start + rows)} of {@code data} without augmentation, as an evaluation batch.
     *
     * @return {@code [rows, C, H, W]}
     */
    public INDArray images(ImageDataset data, int start, int rows) {
        int length = data.channels() * data.area();
        float[] pixels = new float[rows * length];
        for (int r = 0; r < rows; r++) {
            write(data, start + r, pixels, r * length, null);
        }
        return Nd4j.create(pixels, new long[] {rows, data.channels(), data.height(), data.width()}, 'c');
    }

    /**
     * Writes image {@code index} into {@code out} at {@code offset} ({@code [C, H, W]} row-major). The padding of
     * the crop is black (zero before normalisation), as torchvision's {@code RandomCrop(padding=p)}.
     *
     * @param random the augmentation generator, or {@code null} for evaluation (no augmentation)
     */
    public void write(ImageDataset data, int index, float[] out, int offset, SplittableRandom random) {
        int h = data.height();
        int w = data.width();
        int dy = 0;
        int dx = 0;
        boolean mirror = false;
        if (random != null) {
            if (cropPadding > 0) {
                dy = random.nextInt(2 * cropPadding + 1) - cropPadding;
                dx = random.nextInt(2 * cropPadding + 1) - cropPadding;
            }
            mirror = flip && random.nextBoolean();
        }
        for (int c = 0; c < data.channels(); c++) {
            float background = (float) ((0 - mean[c]) / std[c]);
            int plane = offset + c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sy = y + dy;
                    int sx = (mirror ? w - 1 - x : x) + dx;
                    float value = background;
                    if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                        value = (float) ((data.pixel(index, c, sy, sx) / 255.0 - mean[c]) / std[c]);
                    }
                    out[plane + y * w + x] = value;
                }
            }
        }
    }
}

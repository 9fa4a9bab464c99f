package org.poollab.data;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.config.DataConfig;
import org.poollab.data.augment.CropBox;
import org.poollab.data.augment.Photometric;
import org.poollab.data.augment.Resampler;

/**
 * Turns samples of any size into the {@code size x size} tensors a model sees, normalised per channel.
 * Evaluation takes the centre crop after resizing ({@link CropBox#centre}); training adds the supervised recipe's
 * augmentation: either a random crop after zero padding of the evaluation view (the small-image recipe), or a
 * random resized crop of the original (torchvision's {@code RandomResizedCrop}, the ImageNet recipe), then a
 * horizontal flip.
 */
public final class Preprocessing {

    private static final float MASK_THRESHOLD = 0.5f;

    private final int size;
    private final double evalResize;
    private final double[] mean;
    private final double[] std;
    private final int cropPadding;
    private final double[] cropScale;
    private final boolean flip;
    private final SampleWorkers workers;

    /**
     * @param size side of the views
     * @param evalResize the evaluation resize ratio ({@link CropBox#centre})
     * @param mean per-channel pixel mean after scaling to [0, 1]
     * @param std per-channel pixel standard deviation after scaling to [0, 1]
     * @param cropPadding padding of the random crop; 0 disables it
     * @param cropScale {@code [min, max]} area of the random resized crop, or {@code null} for the padded crop
     * @param flip whether to flip horizontally with p = 0.5
     * @param workers the threads that prepare a batch's samples
     */
    public Preprocessing(int size, double evalResize, double[] mean, double[] std, int cropPadding,
                         double[] cropScale, boolean flip, SampleWorkers workers) {
        this.size = size;
        this.evalResize = evalResize;
        this.mean = mean.clone();
        this.std = std.clone();
        this.cropPadding = cropPadding;
        this.cropScale = cropScale == null ? null : cropScale.clone();
        this.flip = flip;
        this.workers = workers;
    }

    /**
     * @param channels the images' channels (the normalisation has one mean and std per channel)
     * @param augment whether to apply the configured augmentations (training) or none (evaluation)
     */
    public static Preprocessing of(DataConfig data, int channels, boolean augment) {
        double[] scale = augment && data.resizedCrop() ? new double[] {data.cropScale().get(0),
            data.cropScale().get(1)} : null;
        return new Preprocessing(data.imageSize(), data.evalResize(), data.means(channels), data.stds(channels),
                augment && !data.resizedCrop() ? data.cropPadding() : 0, scale, augment && data.flip(),
                SampleWorkers.of(data.workerThreads()));
    }

    /** The side of every view. */
    public int size() {
        return size;
    }

    /** The threads that prepare samples. */
    public SampleWorkers workers() {
        return workers;
    }

    /**
     * The evaluation view of a sample: the centre crop, resized to {@code size x size}, its mask resized alike
     * (thresholded at one half) so that mask and image stay aligned.
     *
     * @return a {@code [C, size, size]} sample with the same label
     */
    public Sample evaluationView(Sample sample) {
        CropBox box = CropBox.centre(sample.height(), sample.width(), size, evalResize);
        if (box.isWhole(size, size) && sample.height() == size && sample.width() == size) {
            return sample;
        }
        float[] planes = Resampler.resize(sample.planes(), sample.channels(), sample.height(), sample.width(), box,
                size);
        boolean[] mask = null;
        if (sample.mask() != null) {
            float[] object = new float[sample.area()];
            for (int p = 0; p < object.length; p++) {
                object[p] = sample.mask()[p] ? 1 : 0;
            }
            float[] resized = Resampler.resize(object, 1, sample.height(), sample.width(), box, size);
            mask = new boolean[resized.length];
            for (int p = 0; p < mask.length; p++) {
                mask[p] = resized[p] >= MASK_THRESHOLD;
            }
        }
        return new Sample(planes, sample.channels(), size, size, mask, sample.label());
    }

    /**
     * Images {@code [start, start + rows)} of {@code data} as evaluation views, prepared by the workers.
     *
     * @return the batch {@code [rows, C, size, size]} and its views (labels, masks, levels for drawing)
     */
    public EvaluationBatch evaluationBatch(ImageSet data, int start, int rows) {
        int length = data.channels() * size * size;
        float[] pixels = new float[rows * length];
        Sample[] views = new Sample[rows];
        workers.forEach(rows, r -> {
            views[r] = evaluationView(data.sample(start + r));
            normalise(views[r].planes(), pixels, r * length);
        });
        INDArray images = Nd4j.create(pixels, new long[] {rows, data.channels(), size, size}, 'c');
        return new EvaluationBatch(images, List.of(views));
    }

    /**
     * Writes the training view of {@code sample} into {@code out} at {@code offset} ({@code [C, size, size]}
     * row-major). The padding of the padded crop is black (zero before normalisation), as torchvision's
     * {@code RandomCrop(padding=p)}.
     *
     * @param random the sample's augmentation generator, or {@code null} for the evaluation view
     */
    public void write(Sample sample, float[] out, int offset, SplittableRandom random) {
        if (random == null) {
            normalise(evaluationView(sample).planes(), out, offset);
        } else if (cropScale != null) {
            CropBox box = CropBox.randomResized(sample.height(), sample.width(), cropScale[0], cropScale[1], random);
            float[] planes = Resampler.resize(sample.planes(), sample.channels(), sample.height(), sample.width(),
                    box, size);
            if (flip && random.nextBoolean()) {
                Photometric.flip(planes, size);
            }
            normalise(planes, out, offset);
        } else {
            paddedCrop(evaluationView(sample).planes(), out, offset, random);
        }
    }

    private void paddedCrop(float[] planes, float[] out, int offset, SplittableRandom random) {
        int dy = 0;
        int dx = 0;
        if (cropPadding > 0) {
            dy = random.nextInt(2 * cropPadding + 1) - cropPadding;
            dx = random.nextInt(2 * cropPadding + 1) - cropPadding;
        }
        boolean mirror = flip && random.nextBoolean();
        int area = size * size;
        int channels = planes.length / area;
        for (int c = 0; c < channels; c++) {
            float background = (float) ((0 - mean[c]) / std[c]);
            int plane = c * area;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int sy = y + dy;
                    int sx = (mirror ? size - 1 - x : x) + dx;
                    float value = background;
                    if (sy >= 0 && sy < size && sx >= 0 && sx < size) {
                        value = (float) ((planes[plane + sy * size + sx] - mean[c]) / std[c]);
                    }
                    out[offset + plane + y * size + x] = value;
                }
            }
        }
    }

    private void normalise(float[] planes, float[] out, int offset) {
        int area = size * size;
        for (int i = 0; i < planes.length; i++) {
            int c = i / area;
            out[offset + i] = (float) ((planes[i] - mean[c]) / std[c]);
        }
    }
}

package org.poollab.data.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.poollab.config.AugmentationConfig;
import org.poollab.config.DinoConfig;
import org.poollab.data.Sample;

/**
 * DINO's multi-crop (docs/method.md §6): two global views (the first always blurred, the second rarely blurred and
 * sometimes solarised) and L smaller local views, each a random resized crop, flip, colour jitter, random grayscale,
 * then normalised per channel with the data set's mean and std (the order of DINO's {@code DataAugmentationDINO}).
 */
public final class MultiCrop {

    private final List<ViewRecipe> recipes;
    private final AugmentationConfig augmentation;
    private final double[] mean;
    private final double[] std;

    /**
     * DINO's views.
     *
     * @param dino crop counts, sizes, scales and augmentation probabilities
     * @param globalSize side of the global views (the data set's image size)
     * @param mean per-channel pixel mean for normalisation
     * @param std per-channel pixel std for normalisation
     */
    public MultiCrop(DinoConfig dino, int globalSize, double[] mean, double[] std) {
        this(dino.augmentation(), globalSize, dino.globalScale(), dino.localCrops(), dino.localSize(),
                dino.localScale(), mean, std);
    }

    /**
     * Two global views and {@code localCrops} local ones; MoCo v3's two views are this without local crops (its
     * asymmetric blur and solarisation are DINO's global ones).
     *
     * @param augmentation the photometric augmentations and their probabilities
     * @param globalSize side of the global views
     * @param globalScale area range of a global crop
     * @param localCrops number of local views
     * @param localSize side of a local view
     * @param localScale area range of a local crop
     */
    public MultiCrop(AugmentationConfig augmentation, int globalSize, List<Double> globalScale, int localCrops,
                     int localSize, List<Double> localScale, double[] mean, double[] std) {
        AugmentationConfig a = augmentation;
        List<ViewRecipe> views = new ArrayList<>();
        views.add(new ViewRecipe(globalSize, globalScale.get(0), globalScale.get(1), a.blurProbability().get(0), 0));
        views.add(new ViewRecipe(globalSize, globalScale.get(0), globalScale.get(1), a.blurProbability().get(1),
                a.solarizeProbability()));
        for (int i = 0; i < localCrops; i++) {
            views.add(new ViewRecipe(localSize, localScale.get(0), localScale.get(1), a.blurProbability().get(2), 0));
        }
        this.recipes = List.copyOf(views);
        this.augmentation = a;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Number of global views (the teacher's inputs). */
    public int globalViews() {
        return 2;
    }

    /** Number of local views. */
    public int localViews() {
        return recipes.size() - globalViews();
    }

    /** Side of view {@code v}. */
    public int size(int view) {
        return recipes.get(view).size();
    }

    /**
     * Makes view {@code view} of a sample, cropped from the sample at its own size, and writes it, normalised,
     * into {@code out} at {@code offset} ({@code [C, size, size]} row-major).
     */
    public void write(Sample sample, int view, SplittableRandom random, float[] out, int offset) {
        ViewRecipe recipe = recipes.get(view);
        int channels = sample.channels();
        CropBox box = CropBox.randomResized(sample.height(), sample.width(), recipe.minScale(), recipe.maxScale(),
                random);
        float[] pixels = Resampler.resize(sample.planes(), channels, sample.height(), sample.width(), box,
                recipe.size());
        if (augmentation.flip() && random.nextBoolean()) {
            Photometric.flip(pixels, recipe.size());
        }
        if (random.nextDouble() < augmentation.jitterProbability()) {
            Photometric.jitter(pixels, channels, augmentation.brightness(), augmentation.contrast(),
                    augmentation.saturation(), augmentation.hue(), random);
        }
        if (random.nextDouble() < augmentation.grayscaleProbability()) {
            Photometric.grayscale(pixels, channels);
        }
        if (random.nextDouble() < recipe.blurProbability()) {
            List<Double> sigma = augmentation.blurSigma();
            Photometric.blur(pixels, recipe.size(), sigma.get(0) + (sigma.get(1) - sigma.get(0)) * random.nextDouble());
        }
        if (random.nextDouble() < recipe.solarizeProbability()) {
            Photometric.solarize(pixels);
        }
        int area = recipe.size() * recipe.size();
        for (int i = 0; i < pixels.length; i++) {
            int c = i / area;
            out[offset + i] = (float) ((pixels[i] - mean[c]) / std[c]);
        }
    }
}

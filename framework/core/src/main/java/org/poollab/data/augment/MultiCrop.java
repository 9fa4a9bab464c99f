package org.poollab.data.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.poollab.config.AugmentationConfig;
import org.poollab.config.DinoConfig;
import org.poollab.data.Sample;

/**
 * DINO's multi-crop (SPEC §6): two global views (the first always blurred, the second rarely blurred and sometimes
 * solarised) and L smaller local views, each a random resized crop, flip, colour jitter, random grayscale, then
 * normalised per channel with the data set's mean and std (the order of DINO's {@code DataAugmentationDINO}).
 */
public final class MultiCrop {

    private final List<ViewRecipe> recipes;
    private final AugmentationConfig augmentation;
    private final double[] mean;
    private final double[] std;

    /**
     * @param dino crop counts, sizes, scales and augmentation probabilities
     * @param globalSize side of the global views (the data set's image size)
     * @param mean per-channel pixel mean for normalisation
     * @param std per-channel pixel std for normalisation
     */
    public MultiCrop(DinoConfig dino, int globalSize, double[] mean, double[] std) {
        AugmentationConfig a = dino.augmentation();
        List<Double> global = dino.globalScale();
        List<Double> local = dino.localScale();
        List<ViewRecipe> views = new ArrayList<>();
        views.add(new ViewRecipe(globalSize, global.get(0), global.get(1), a.blurProbability().get(0), 0));
        views.add(new ViewRecipe(globalSize, global.get(0), global.get(1), a.blurProbability().get(1),
                a.solarizeProbability()));
        for (int i = 0; i < dino.localCrops(); i++) {
            views.add(new ViewRecipe(dino.localSize(), local.get(0), local.get(1), a.blurProbability().get(2), 0));
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

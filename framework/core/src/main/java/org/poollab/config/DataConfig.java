package org.poollab.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The data set and its preprocessing.
 *
 * @param dataset the data set id: {@value #FASHION_MNIST}, {@value #FASHION_CLUTTER} or {@value #IMAGE_FOLDER}
 * @param path the folder with the IDX files (Fashion-MNIST and fashion-clutter), or the image folder (with
 *             {@code train/} and {@code test/} or {@code val/})
 * @param imageSize the side images are resized to (image folders) or generated at (fashion-clutter);
 *                  Fashion-MNIST's are 28
 * @param channels 1 (grey) or 3 (colour), or {@code null} for the data's own ({@code auto})
 * @param masks the object-mask folder of an image folder, or {@code null} for none
 * @param unreadableLimit the share of an image folder's split that may be unreadable (skipped with a warning)
 * @param trainSubset how many training images to use (a seeded random subset), or {@code null} for all
 * @param testSubset how many test images to use, or {@code null} for all
 * @param mean pixel mean for normalisation (pixels scaled to [0, 1] first): one value for every channel or one
 *             per channel, or {@code null} for the default of the channel count ({@link #means})
 * @param std pixel standard deviation, as {@code mean}
 * @param trainCrop the supervised training crop: {@value #PAD_CROP} (random crop of the evaluation view after zero
 *                  padding, the small-image recipe) or {@value #RESIZED_CROP} (random resized crop of the original,
 *                  the ImageNet recipe)
 * @param cropPadding zero padding of the {@value #PAD_CROP} crop; 0 disables it
 * @param cropScale {@code [min, max]} area fraction of the {@value #RESIZED_CROP} crop
 * @param flip whether to flip training images horizontally with p = 0.5
 * @param evalResize evaluation resizes the shorter side to {@code imageSize * evalResize} and takes the centre crop
 * @param workers threads that decode and augment samples, or {@code null} for the default ({@link #workerThreads})
 * @param cacheMb megabytes of decoded images an image folder keeps in memory; 0 decodes every image every time
 */
public record DataConfig(String dataset, Path path, int imageSize, Integer channels, Path masks,
                         double unreadableLimit, Integer trainSubset, Integer testSubset, List<Double> mean,
                         List<Double> std, String trainCrop, int cropPadding, List<Double> cropScale, boolean flip,
                         double evalResize, Integer workers, int cacheMb) {

    /** The embedded default data set (Debian package {@code dataset-fashion-mnist}). */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** Colour scenes with exact masks generated from Fashion-MNIST ({@code data.clutter.FashionClutter}). */
    public static final String FASHION_CLUTTER = "fashion-clutter";
    /** Any folder laid out as torchvision's ImageFolder. */
    public static final String IMAGE_FOLDER = "imagefolder";
    /** {@code data.trainCrop}: random crop after zero padding. */
    public static final String PAD_CROP = "pad";
    /** {@code data.trainCrop}: random resized crop. */
    public static final String RESIZED_CROP = "resized";
    /** Worker threads at most by default: decoding scales with cores, and the model needs cores too. */
    static final int MAX_DEFAULT_WORKERS = 8;
    /** The statistics torchvision's ImageNet models are trained with (DINO, timm and SimPool use them). */
    static final List<Double> IMAGENET_MEAN = List.of(0.485, 0.456, 0.406);
    static final List<Double> IMAGENET_STD = List.of(0.229, 0.224, 0.225);
    /** Fashion-MNIST's training-set statistics, the default for grey images. */
    static final List<Double> GREY_MEAN = List.of(0.2860);
    static final List<Double> GREY_STD = List.of(0.3530);

    /** Copies the lists. */
    public DataConfig {
        mean = mean == null ? null : List.copyOf(mean);
        std = std == null ? null : List.copyOf(std);
        cropScale = List.copyOf(cropScale);
    }

    /** Whether supervised training takes a random resized crop of the original rather than a padded crop. */
    public boolean resizedCrop() {
        return trainCrop.equals(RESIZED_CROP);
    }

    /**
     * The configured workers, or by default one per core (at most {@value #MAX_DEFAULT_WORKERS}) for image folders,
     * whose samples are decoded from files, and 1 for the sets held in memory, whose samples take microseconds.
     */
    public int workerThreads() {
        if (workers != null) {
            return workers;
        }
        return dataset.equals(IMAGE_FOLDER)
                ? Math.min(MAX_DEFAULT_WORKERS, Runtime.getRuntime().availableProcessors()) : 1;
    }

    /**
     * The per-channel means for images of {@code channels} channels: the configured ones (one value is used for
     * every channel), or by default ImageNet's for colour and Fashion-MNIST's for grey images.
     *
     * @throws ConfigException if three values are given for grey images or the other way round
     */
    public double[] means(int channels) {
        return perChannel("data.mean", mean, channels == 3 ? IMAGENET_MEAN : GREY_MEAN, channels);
    }

    /** The per-channel standard deviations, as {@link #means}. */
    public double[] stds(int channels) {
        return perChannel("data.std", std, channels == 3 ? IMAGENET_STD : GREY_STD, channels);
    }

    /** Says where the normalisation comes from, for the run's console. */
    public String describeNormalisation(int channels) {
        String source = mean == null && std == null
                ? (channels == 3 ? "ImageNet's, the default for colour" : "Fashion-MNIST's, the default for grey")
                : "data.mean / data.std";
        return "normalisation mean " + List.of(box(means(channels))) + " std " + List.of(box(stds(channels)))
                + " (" + source + ")";
    }

    private static double[] perChannel(String key, List<Double> configured, List<Double> fallback, int channels) {
        List<Double> values = configured == null ? fallback : configured;
        if (values.size() != 1 && values.size() != channels) {
            throw new ConfigException(key, "has " + values.size() + " values but the images have " + channels
                    + (channels == 1 ? " channel" : " channels") + "; give one value, or one per channel (or set "
                    + "data.channels)");
        }
        double[] out = new double[channels];
        for (int c = 0; c < channels; c++) {
            out[c] = values.get(values.size() == 1 ? 0 : c);
        }
        return out;
    }

    private static Double[] box(double[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}

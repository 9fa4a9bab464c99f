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
 * @param cropPadding zero padding for the random crop augmentation; 0 disables it
 * @param flip whether to flip training images horizontally with p = 0.5
 */
public record DataConfig(String dataset, Path path, int imageSize, Integer channels, Path masks,
                         double unreadableLimit, Integer trainSubset, Integer testSubset, List<Double> mean,
                         List<Double> std, int cropPadding, boolean flip) {

    /** The embedded default data set (Debian package {@code dataset-fashion-mnist}). */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** Colour scenes with exact masks generated from Fashion-MNIST ({@code data.clutter.FashionClutter}). */
    public static final String FASHION_CLUTTER = "fashion-clutter";
    /** Any folder laid out as torchvision's ImageFolder. */
    public static final String IMAGE_FOLDER = "imagefolder";
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

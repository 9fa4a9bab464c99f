package org.poollab.data;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A split of an image folder decoded on demand, one file per {@link #sample} call, at the image's own size: no
 * split-sized array, so a set of any size streams through a bounded memory (the batches being prepared and the
 * {@link DecodedCache}). Decoding runs on whichever thread asks, in practice the {@link SampleWorkers}.
 *
 * <p>An image that cannot be decoded is met mid-epoch rather than at start-up: it is skipped with a warning
 * ({@link UnreadableImages}) and the next readable image of the split, with its own label, stands in for it, so
 * batches keep their size and the same files give the same batches.
 */
public final class StreamedImages implements ImageSet {

    private final String split;
    private final List<Path> files;
    private final int[] labels;
    private final List<Path> masks;
    private final int channels;
    private final int classes;
    private final DecodedCache cache;
    private final double unreadableLimit;
    private final PrintStream progress;
    private final UnreadableImages unreadable;

    /**
     * @param split names the split in messages
     * @param files the image files
     * @param labels their classes
     * @param masks each file's mask PNG, or {@code null} for a split without masks
     * @param channels 1 or 3: what every image is turned into ({@link DecodedImage})
     * @param classes number of classes
     * @param unreadableLimit the share of the split that may be unreadable
     * @param progress where warnings about unreadable images go
     */
    StreamedImages(String split, List<Path> files, int[] labels, List<Path> masks, int channels, int classes,
                   DecodedCache cache, double unreadableLimit, PrintStream progress) {
        this.split = split;
        this.files = List.copyOf(files);
        this.labels = labels.clone();
        this.masks = masks == null ? null : List.copyOf(masks);
        this.channels = channels;
        this.classes = classes;
        this.cache = cache;
        this.unreadableLimit = unreadableLimit;
        this.progress = progress;
        this.unreadable = new UnreadableImages(split, files.size(), unreadableLimit, progress);
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public boolean hasMasks() {
        return masks != null;
    }

    /** The file of image {@code i}. */
    public Path file(int i) {
        return files.get(i);
    }

    /** How many images were found unreadable so far. */
    public int unreadableCount() {
        return unreadable.count();
    }

    /**
     * Image {@code i}, or when it cannot be decoded the next readable image after it (wrapping around).
     *
     * @throws DataException if more images are unreadable than {@code data.unreadableLimit} allows, or a mask is
     *         missing or does not fit its image
     */
    @Override
    public Sample sample(int i) {
        for (int step = 0; step < files.size(); step++) {
            int index = (i + step) % files.size();
            if (unreadable.contains(index)) {
                continue;
            }
            try {
                return sampleOf(index);
            } catch (UnreadableImageException e) {
                unreadable.record(index, e);
            }
        }
        throw new DataException("none of the images in " + split + " can be read (data.path)");
    }

    @Override
    public StreamedImages select(int[] indices) {
        List<Path> chosen = IntStream.of(indices).mapToObj(files::get).toList();
        List<Path> chosenMasks = masks == null ? null : IntStream.of(indices).mapToObj(masks::get).toList();
        return new StreamedImages(split, chosen, IntStream.of(indices).map(i -> labels[i]).toArray(), chosenMasks,
                channels, classes, cache, unreadableLimit, progress);
    }

    private Sample sampleOf(int index) {
        Path file = files.get(index);
        DecodedCache.Entry entry = cache.get(file);
        if (entry == null) {
            entry = decode(index);
            cache.offer(file, entry);
        }
        int area = entry.height() * entry.width();
        float[] planes = new float[entry.levels().length];
        for (int p = 0; p < planes.length; p++) {
            planes[p] = (entry.levels()[p] & 0xFF) / 255f;
        }
        boolean[] mask = null;
        if (entry.mask() != null) {
            mask = new boolean[area];
            for (int p = 0; p < area; p++) {
                mask[p] = entry.mask()[p] != 0;
            }
        }
        return new Sample(planes, channels, entry.height(), entry.width(), mask, labels[index]);
    }

    /** Decodes image {@code index} and its mask, as bytes (the levels every later read sees, cached or not). */
    private DecodedCache.Entry decode(int index) {
        DecodedImage image = DecodedImage.read(files.get(index), channels);
        byte[] levels = new byte[image.planes().length];
        for (int p = 0; p < levels.length; p++) {
            levels[p] = (byte) Math.round(image.planes()[p] * 255);
        }
        byte[] mask = masks == null ? null : mask(masks.get(index), image);
        return new DecodedCache.Entry(levels, image.height(), image.width(), mask);
    }

    private static byte[] mask(Path file, DecodedImage image) {
        DecodedImage mask;
        try {
            mask = DecodedImage.read(file, 1);
        } catch (UnreadableImageException e) {
            // A broken mask is a broken mask folder, not an image to skip: the Jaccard would silently change.
            throw new DataException(e.getMessage() + " (data.masks)");
        }
        if (mask.height() != image.height() || mask.width() != image.width()) {
            throw new DataException("the mask " + file + " is " + mask.width() + " x " + mask.height()
                    + " but its image is " + image.width() + " x " + image.height() + " (data.masks); a mask has "
                    + "its image's size");
        }
        byte[] object = new byte[mask.planes().length];
        for (int p = 0; p < object.length; p++) {
            object[p] = (byte) (mask.planes()[p] > 0 ? 1 : 0);
        }
        return object;
    }
}

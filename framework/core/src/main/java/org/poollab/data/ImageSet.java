package org.poollab.data;

/**
 * A labelled split of images that trainers and evaluation read one sample at a time: held in memory
 * ({@link ImageDataset}) or decoded from disk on demand ({@link StreamedImages}). Images may differ in size; the
 * views a model sees are made from them by {@link Preprocessing} and the multi-crop. Implementations are safe to
 * read from several threads at once.
 */
public interface ImageSet {

    /** Number of images. */
    int size();

    /** C of every sample, 1 or 3. */
    int channels();

    /** Number of classes; labels are in {@code [0, classes)}. */
    int classes();

    /** Whether every sample carries its object mask. */
    boolean hasMasks();

    /**
     * Image {@code i} as stored. A set read from disk may hand back a stand-in for an image that cannot be
     * decoded (with the stand-in's own label), see {@link StreamedImages}.
     */
    Sample sample(int i);

    /** The images at {@code indices}, in that order (nothing is decoded). */
    ImageSet select(int[] indices);

    /** A seeded random subset of {@code count} images (all of them, reordered, if count >= size). */
    default ImageSet subset(int count, long seed) {
        return select(ImageDataset.chosen(size(), count, seed));
    }
}

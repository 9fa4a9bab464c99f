package org.poollab.data;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The images of a streamed split found to be undecodable, counted as they are met: the first few are named in a
 * warning, later ones counted (at 4, 8, 16, ...), and more than {@code data.unreadableLimit} of the split is an
 * error naming the latest, since that points at a broken copy rather than a few bad files.
 */
final class UnreadableImages {

    /** How many unreadable images are named one by one. */
    private static final int NAMED = 3;

    private final String split;
    private final int images;
    private final double limit;
    private final PrintStream progress;
    private final Set<Integer> indices = ConcurrentHashMap.newKeySet();

    /**
     * @param split names the split in messages
     * @param images the split's size
     * @param limit the share that may be unreadable
     */
    UnreadableImages(String split, int images, double limit, PrintStream progress) {
        this.split = split;
        this.images = images;
        this.limit = limit;
        this.progress = progress;
    }

    /** Whether image {@code index} is known to be unreadable. */
    boolean contains(int index) {
        return indices.contains(index);
    }

    /** How many are known. */
    int count() {
        return indices.size();
    }

    /**
     * Records image {@code index} as unreadable.
     *
     * @param failure the decoder's message, naming the file
     * @throws DataException if the split now has more unreadable images than the limit allows
     */
    synchronized void record(int index, UnreadableImageException failure) {
        if (!indices.add(index)) {
            return;
        }
        int count = indices.size();
        if (count > limit * images) {
            throw new DataException(count + " of the " + images + " images in " + split + " cannot be read (more "
                    + "than data.unreadableLimit = " + limit + " of them; raise it to skip them): "
                    + failure.getMessage());
        }
        if (count <= NAMED) {
            progress.printf(Locale.ROOT, "warning: skipping an unreadable image (%d of the %d in %s so far; the next "
                    + "readable image stands in for it): %s%n", count, images, split, failure.getMessage());
        } else if (Integer.bitCount(count) == 1) {
            progress.printf(Locale.ROOT, "warning: %d of the %d images in %s are unreadable and skipped so far%n",
                    count, images, split);
        }
    }
}

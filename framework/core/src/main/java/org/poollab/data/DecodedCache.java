package org.poollab.data;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decoded images kept in memory up to a budget ({@code data.cacheMb}), shared by a data set's splits. An image
 * is kept the first time it is decoded while the budget has room, and never evicted: a small set ends up wholly
 * in memory after one epoch, a large one keeps its first images and streams the rest, and no image is decoded
 * twice only to be dropped again. Levels are kept as bytes, the precision of the files.
 */
public final class DecodedCache {

    private final long budgetBytes;
    private final AtomicLong usedBytes = new AtomicLong();
    private final Map<Path, Entry> entries = new ConcurrentHashMap<>();

    /** @param budgetBytes 0 keeps nothing */
    public DecodedCache(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** The bytes held. */
    public long usedBytes() {
        return usedBytes.get();
    }

    /** The entry of {@code file}, or {@code null} when it is not held. */
    Entry get(Path file) {
        return entries.get(file);
    }

    /** Keeps {@code entry} for {@code file} if the budget has room for it. */
    void offer(Path file, Entry entry) {
        long size = entry.bytes();
        long used;
        do {
            used = usedBytes.get();
            if (used + size > budgetBytes) {
                return;
            }
        } while (!usedBytes.compareAndSet(used, used + size));
        if (entries.putIfAbsent(file, entry) != null) {
            usedBytes.addAndGet(-size);
        }
    }

    /**
     * One decoded image.
     *
     * @param levels planar {@code [C, height, width]} levels in 0..255
     * @param height rows
     * @param width columns
     * @param mask {@code [height, width]} object mask (1 = object), or {@code null}
     */
    record Entry(byte[] levels, int height, int width, byte[] mask) {

        long bytes() {
            return levels.length + (mask == null ? 0 : mask.length);
        }
    }
}

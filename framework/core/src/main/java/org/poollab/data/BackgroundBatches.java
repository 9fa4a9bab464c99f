package org.poollab.data;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One epoch of batches made on a background thread while the model trains, from its first step (0, or where a run
 * stopped inside the epoch resumes). The maker holds its own seeded generators, so the batches do not depend on
 * thread timing. A failure in the maker reaches {@link #next}.
 *
 * @param <T> the batch type
 */
public final class BackgroundBatches<T> implements AutoCloseable {

    private static final int PREFETCH = 3;

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(PREFETCH);
    private final Thread producer;
    private final int steps;
    private final int first;

    /**
     * Makes the batches of one epoch, in step order, from generators that each batch advances.
     *
     * @param <T> the batch type
     */
    public interface Maker<T> {

        /** Makes batch {@code step} of the epoch. */
        T make(int step);

        /**
         * Advances the generators past batch {@code step} exactly as {@link #make} would, without making it (the
         * steps a resumed run already trained).
         */
        void skip(int step);
    }

    /**
     * @param name names the thread
     * @param steps batches in the epoch
     * @param first the first batch to yield (the ones before it are skipped)
     * @param maker called for steps 0, 1, ... in order on the background thread
     */
    public BackgroundBatches(String name, int steps, int first, Maker<T> maker) {
        if (first < 0 || first >= steps) {
            throw new IllegalArgumentException("first batch " + first + " of an epoch of " + steps);
        }
        this.steps = steps;
        this.first = first;
        this.producer = new Thread(() -> produce(maker), name);
        producer.setDaemon(true);
        producer.start();
    }

    /** Number of batches in the whole epoch. */
    public int steps() {
        return steps;
    }

    /** The epoch's first batch this yields: its first step after a resume inside the epoch, else 0. */
    public int first() {
        return first;
    }

    /**
     * The next batch, waiting for the producer if needed.
     *
     * @throws DataException if making a batch failed
     */
    @SuppressWarnings("unchecked")
    public T next() throws InterruptedException {
        Object item = queue.take();
        if (item instanceof DataException failure) {
            throw failure; // already names the file and the fix (an unreadable split, a missing mask)
        }
        if (item instanceof RuntimeException failure) {
            throw new DataException("preparing a training batch failed: " + failure);
        }
        return (T) item;
    }

    @Override
    public void close() {
        producer.interrupt();
    }

    private void produce(Maker<T> maker) {
        try {
            for (int step = 0; step < first; step++) {
                maker.skip(step);
            }
            for (int step = first; step < steps; step++) {
                queue.put(maker.make(step));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            queue.offer(e);
        }
    }
}

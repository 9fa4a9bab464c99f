package org.poollab.data;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntFunction;

/**
 * One epoch of batches made on a background thread while the model trains. The maker holds its own seeded
 * generators, so the batches do not depend on thread timing. A failure in the maker reaches {@link #next}.
 *
 * @param <T> the batch type
 */
public final class BackgroundBatches<T> implements AutoCloseable {

    private static final int PREFETCH = 3;

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(PREFETCH);
    private final Thread producer;
    private final int steps;

    /**
     * @param name names the thread
     * @param steps batches in the epoch
     * @param maker makes batch {@code step}; called for steps 0, 1, ... in order on the background thread
     */
    public BackgroundBatches(String name, int steps, IntFunction<T> maker) {
        this.steps = steps;
        this.producer = new Thread(() -> produce(maker), name);
        producer.setDaemon(true);
        producer.start();
    }

    /** Number of batches this epoch yields. */
    public int steps() {
        return steps;
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

    private void produce(IntFunction<T> maker) {
        try {
            for (int step = 0; step < steps; step++) {
                queue.put(maker.apply(step));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            queue.offer(e);
        }
    }
}

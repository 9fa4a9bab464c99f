package org.poollab.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The {@code data.workers} threads that decode and augment the samples of a batch in parallel. Every sample's
 * work is self-contained (its own seeded generator, its own slice of the output), so a batch does not depend on
 * how many workers made it or in which order they finished. One pool per size is shared by the whole process, as
 * the JDK's common pool is: trainers, evaluation and benchmarks ask for workers many times, and daemon threads
 * that live as long as the process cost nothing between batches.
 */
public final class SampleWorkers {

    private static final Map<Integer, SampleWorkers> SHARED = new ConcurrentHashMap<>();

    private final ExecutorService pool;

    private SampleWorkers(int threads) {
        AtomicInteger created = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "poollab-data-worker-" + created.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The shared workers of this size.
     *
     * @param threads at least 1; 1 works on the calling thread
     */
    public static SampleWorkers of(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("workers must be at least 1, not " + threads);
        }
        return SHARED.computeIfAbsent(threads, SampleWorkers::new);
    }

    /**
     * Runs {@code work} for samples {@code 0 .. count-1} and returns when all are done.
     *
     * @throws RuntimeException the first failure of a sample, after the others have finished
     */
    public void forEach(int count, IntConsumer work) {
        if (pool == null || count == 1) {
            for (int i = 0; i < count; i++) {
                work.accept(i);
            }
            return;
        }
        List<Future<?>> done = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int sample = i;
            done.add(pool.submit(() -> work.accept(sample)));
        }
        RuntimeException failure = null;
        for (Future<?> future : done) {
            try {
                future.get();
            } catch (InterruptedException e) {
                done.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                throw new DataException("interrupted while preparing samples");
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException runtime ? runtime
                            : new DataException("preparing a sample failed: " + e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}

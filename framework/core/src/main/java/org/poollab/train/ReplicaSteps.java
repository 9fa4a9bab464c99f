package org.poollab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.ToIntFunction;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Runs a range of steps on N replicas of a training graph at once, each in its own thread with its own SameDiff fit
 * loop and its share of the native threads: every step's inputs are made once (on the calling thread, the step
 * clock set first), split into N equal shards of its images ({@link BatchShards}), and each replica steps on its
 * shard; their gradients are averaged parameter by parameter ({@link GradientExchange}) so that every replica applies
 * the same update. The step's loss is the mean of the shards' losses (the batch mean, the shards being equal); the
 * step source hears of it once every replica is done, before the next step's inputs are made.
 */
final class ReplicaSteps {

    /** Ends a replica's fit loop. */
    private static final MultiDataSet END = new MultiDataSet();

    private final List<TrainingGraph.Replica> replicas;
    private final ToIntFunction<? super MultiDataSet> imagesOf;

    /**
     * @param replicas the replicas, with equal weights and optimiser states
     * @param imagesOf the images a step's inputs hold (a multiple of the replica count)
     */
    ReplicaSteps(List<TrainingGraph.Replica> replicas, ToIntFunction<? super MultiDataSet> imagesOf) {
        this.replicas = replicas;
        this.imagesOf = imagesOf;
    }

    /** What a replica reports after each step: its shard's loss, or why it failed. */
    private record Report(int replica, double loss, Throwable failure) {
    }

    /**
     * Runs global steps {@code [first, first + count)}.
     *
     * @throws NonFiniteLossException if a step's loss is NaN or infinite
     * @throws TrainingStoppedException if the process is ending, after the step in flight
     * @throws InterruptedException if the source was interrupted
     */
    void run(int first, int count, StepSource source, StepClock clock, StepBoundaryStop stop)
            throws InterruptedException {
        int n = replicas.size();
        List<BlockingQueue<MultiDataSet>> shards = new ArrayList<>();
        BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
        List<Thread> threads = new ArrayList<>();
        int nativeThreads = Math.max(1, Nd4j.getEnvironment().maxThreads() / n);
        int before = Nd4j.getEnvironment().maxThreads();
        Nd4j.getEnvironment().setMaxThreads(nativeThreads);
        for (int r = 0; r < n; r++) {
            BlockingQueue<MultiDataSet> queue = new ArrayBlockingQueue<>(1);
            shards.add(queue);
            threads.add(start(r, queue, reports, nativeThreads));
        }
        try {
            double[] losses = new double[n];
            for (int step = first; step < first + count; step++) {
                clock.set(step); // seen by the replicas' updaters: the queue hands it over with the shard
                MultiDataSet inputs = source.inputs(step);
                MultiDataSet[] split = BatchShards.split(inputs, imagesOf.applyAsInt(inputs), n);
                for (int r = 0; r < n; r++) {
                    shards.get(r).put(split[r]);
                }
                for (int i = 0; i < n; i++) {
                    Report report = reports.take();
                    if (report.failure() != null) {
                        throw failed(report, step);
                    }
                    losses[report.replica()] = report.loss();
                }
                double loss = 0;
                for (double shardLoss : losses) { // in replica order: the same sum whatever order they ended in
                    loss += shardLoss;
                }
                loss /= n;
                if (!Double.isFinite(loss)) {
                    throw new NonFiniteLossException(step, loss);
                }
                source.done(step, loss);
                TrainingGraph.collectIfDue(step + 1);
                if (stop.requested()) {
                    throw new TrainingStoppedException(step + 1, Optional.empty());
                }
            }
            for (BlockingQueue<MultiDataSet> queue : shards) {
                queue.put(END);
            }
            for (Thread thread : threads) {
                thread.join();
            }
        } finally {
            threads.forEach(Thread::interrupt); // a replica waiting for a failed one's gradient, or for a shard
            for (Thread thread : threads) {
                thread.join();
            }
            Nd4j.getEnvironment().setMaxThreads(before);
        }
    }

    /**
     * A replica's failure as the calling thread throws it: what the replica threw, so that callers see the same
     * failure as from one replica (an OutOfMemoryError stays one, which the launcher turns into the memory
     * advice); anything else, wrapped.
     */
    private static RuntimeException failed(Report report, int step) {
        Throwable failure = report.failure();
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("replica " + report.replica() + " failed at step " + step + ": "
                + failure.getMessage(), failure);
    }

    private Thread start(int r, BlockingQueue<MultiDataSet> queue, BlockingQueue<Report> reports, int nativeThreads) {
        TrainingGraph.Replica replica = replicas.get(r);
        BaseListener afterEachStep = new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return operation == Operation.TRAINING;
            }

            @Override
            public void iterationDone(SameDiff graph, At at, org.nd4j.linalg.dataset.api.MultiDataSet batch,
                                      Loss loss) { // the api type: SameDiff's listener signature
                reports.add(new Report(r, replica.capture().last(), null));
            }
        };
        Thread thread = new Thread(() -> {
            // OpenMP's thread count is per calling thread: this replica's ops use its share of the cores.
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(nativeThreads);
            try {
                replica.scope().sd().fit(new ShardIterator(queue), 1, replica.capture(),
                        replica.averages().listener(), afterEachStep);
            } catch (Throwable e) { // reported to the calling thread, which ends the run with it
                if (!(e instanceof ShardIterator.Ended)) {
                    reports.add(new Report(r, Double.NaN, e));
                }
            }
        }, "poollab-replica-" + r);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** A replica's steps: the shards the calling thread hands it, until it hands {@link #END}. */
    private static final class ShardIterator extends OnePassIterator {

        private static final long serialVersionUID = 1L;

        private final transient BlockingQueue<MultiDataSet> queue;
        private transient MultiDataSet pending;

        /** Interrupted while waiting for a shard: the run is being ended. */
        static final class Ended extends RuntimeException {
            private static final long serialVersionUID = 1L;
        }

        ShardIterator(BlockingQueue<MultiDataSet> queue) {
            this.queue = queue;
        }

        @Override
        public boolean hasNext() {
            if (pending == null) {
                try {
                    pending = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Ended();
                }
            }
            return pending != END;
        }

        @Override
        public MultiDataSet next() {
            hasNext();
            MultiDataSet next = pending;
            pending = null;
            return next;
        }
    }
}

package org.poollab.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Wall time and minor page faults per op type (forward and backward ops apart) while a graph trains: where a
 * step's time goes and which ops get fresh native buffers. Replicas step their graphs on threads of their own,
 * so the clock and the fault counter are per thread. An op's faults are those of its thread since the previous
 * op finished, because SameDiff allocates an op's outputs before it tells listeners the op starts.
 */
final class OpProfile extends BaseListener {

    private static final Path THREAD_STAT = Path.of("/proc/thread-self/stat");

    private final Map<String, AtomicLongArray> byOp = new ConcurrentHashMap<>(); // {nanos, calls, faults}
    private final ThreadLocal<long[]> last = ThreadLocal.withInitial(() -> new long[] {0, threadFaults()});
    private volatile boolean recording;

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    /** Starts counting (after warm-up). */
    void record() {
        recording = true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
        last.get()[0] = System.nanoTime();
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext context,
                            INDArray[] outputs) {
        long[] thread = last.get();
        long faults = threadFaults();
        if (recording) {
            AtomicLongArray entry = byOp.computeIfAbsent(op.getOp().opName(), name -> new AtomicLongArray(3));
            entry.addAndGet(0, System.nanoTime() - thread[0]);
            entry.incrementAndGet(1);
            entry.addAndGet(2, faults - thread[1]);
        }
        thread[1] = faults;
    }

    /** Prints the {@code top} op types by total time with their share and their page faults per call. */
    void print(PrintStream out, int top) {
        long total = byOp.values().stream().mapToLong(v -> v.get(0)).sum();
        long faults = byOp.values().stream().mapToLong(v -> v.get(2)).sum();
        out.printf(Locale.ROOT, "op profile: %.2f s and %d minor faults in %d op types%n", total / 1e9, faults,
                byOp.size());
        byOp.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().get(0), a.getValue().get(0)))
                .limit(top).forEach(e -> {
                    AtomicLongArray v = e.getValue();
                    out.printf(Locale.ROOT, "  %-28s %7.1f ms %5.1f %% %7d calls %6.1f %% of faults%n", e.getKey(),
                            v.get(0) / 1e6, 100.0 * v.get(0) / Math.max(total, 1), v.get(1),
                            100.0 * v.get(2) / Math.max(faults, 1));
                });
    }

    /** Minor page faults of the calling thread so far, 0 where Linux's per-thread stat is unavailable. */
    private static long threadFaults() {
        try {
            String stat = Files.readString(THREAD_STAT);
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+")[10 - 3]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}

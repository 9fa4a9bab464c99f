package org.poollab.bench;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** Wall time per op type (forward and backward ops apart) while a graph trains: where a step's time goes. */
final class OpProfile extends BaseListener {

    private final Map<String, long[]> byOp = new HashMap<>(); // op name -> {nanos, calls}
    private long started;
    private boolean recording;

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
        started = System.nanoTime();
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext context,
                            INDArray[] outputs) {
        if (recording) {
            long[] entry = byOp.computeIfAbsent(op.getOp().opName(), name -> new long[2]);
            entry[0] += System.nanoTime() - started;
            entry[1]++;
        }
    }

    /** Prints the {@code top} op types by total time with their share. */
    void print(PrintStream out, int top) {
        long total = byOp.values().stream().mapToLong(v -> v[0]).sum();
        out.printf(Locale.ROOT, "op profile: %.2f s in %d op types%n", total / 1e9, byOp.size());
        byOp.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(top)
                .forEach(e -> out.printf(Locale.ROOT, "  %-28s %7.1f ms %5.1f %% %7d calls%n", e.getKey(),
                        e.getValue()[0] / 1e6, 100.0 * e.getValue()[0] / Math.max(total, 1), e.getValue()[1]));
    }
}

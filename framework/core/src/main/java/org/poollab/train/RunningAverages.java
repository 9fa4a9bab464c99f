package org.poollab.train;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.RunningAverage;

/**
 * Keeps a graph's running averages (batch norm's running mean and variance, {@link RunningAverage}) up to date:
 * after each training step, or after each forward pass in batch-statistics mode, every average moves towards the
 * batch value that pass computed.
 */
public final class RunningAverages {

    private final SameDiff sd;
    private final List<RunningAverage> averages;

    /** @param scope the root scope the averages were registered in */
    public RunningAverages(GraphScope scope) {
        this.sd = scope.sd();
        this.averages = scope.runningAverages();
    }

    /** The graph variables holding the batch values, to request as outputs of a forward pass. */
    public Set<String> batchValues() {
        Set<String> names = new LinkedHashSet<>();
        averages.forEach(average -> names.add(average.batchValue()));
        return names;
    }

    /**
     * Applies one pass's updates in registration order: {@code running <- (1 - m) running + m batch}.
     *
     * @param values each batch value by variable name (shape of its running average)
     * @throws IllegalStateException if a batch value is missing
     */
    public void update(Map<String, INDArray> values) {
        for (RunningAverage average : averages) {
            INDArray batch = values.get(average.batchValue());
            if (batch == null) {
                throw new IllegalStateException("no batch value " + average.batchValue() + " for " + average.name());
            }
            INDArray running = sd.getArrForVarName(average.name());
            running.muli(1 - average.momentum()).addi(batch.castTo(running.dataType()).mul(average.momentum()));
        }
    }

    /** A training listener that captures each step's batch values and applies {@link #update} after the step. */
    BaseListener listener() {
        Set<String> wanted = batchValues();
        Map<String, INDArray> captured = new HashMap<>();
        return new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return operation == Operation.TRAINING;
            }

            @Override
            public void opExecution(SameDiff graph, At at, MultiDataSet batch, SameDiffOp op, OpContext context,
                                    INDArray[] outputs) {
                List<String> names = op.getOutputsOfOp();
                for (int i = 0; i < names.size(); i++) {
                    if (wanted.contains(names.get(i))) {
                        captured.put(names.get(i), outputs[i].dup()); // the session may reuse the buffer
                    }
                }
            }

            @Override
            public void iterationDone(SameDiff graph, At at, MultiDataSet batch, Loss loss) {
                update(captured);
                captured.clear();
            }
        };
    }
}

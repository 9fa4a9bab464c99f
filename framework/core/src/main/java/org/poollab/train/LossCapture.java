package org.poollab.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Reads the loss of each training iteration from the per-sample terms it averages. In M2.1 the Loss passed to
 * iterationDone is always 0, fit's History has no loss curve, and the final mean is never executed during fit
 * (the backward pass does not need its value), so the listener takes the last forward op that does run: the
 * per-sample loss {@code [B]}, and averages it. It also keeps copies of other activations a trainer asks to watch
 * (MoCo v3's outputs, for its health metrics), so that they cost no second forward pass.
 */
final class LossCapture extends BaseListener {

    private final String perSampleLoss;
    private final Set<String> watched;
    private final Map<String, INDArray> values = new HashMap<>();
    private double last = Double.NaN;

    /**
     * @param perSampleLoss the name of the variable holding each sample's loss, {@code [B]}
     * @param watched names of other variables whose last values are kept
     */
    LossCapture(String perSampleLoss, Set<String> watched) {
        this.perSampleLoss = perSampleLoss;
        this.watched = Set.copyOf(watched);
    }

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext context,
                            INDArray[] outputs) {
        List<String> names = op.getOutputsOfOp();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(perSampleLoss)) {
                last = outputs[i].meanNumber().doubleValue();
            } else if (watched.contains(names.get(i))) {
                values.put(names.get(i), outputs[i].dup()); // the session may reuse the buffer
            }
        }
    }

    /** The loss of the last iteration. */
    double last() {
        return last;
    }

    /** A watched variable's value in the last iteration. */
    INDArray watched(String name) {
        return values.get(name);
    }
}

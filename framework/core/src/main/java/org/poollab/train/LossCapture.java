package org.poollab.train;

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
 * per-sample loss {@code [B]}, and averages it.
 */
final class LossCapture extends BaseListener {

    private final String perSampleLoss;
    private double last = Double.NaN;

    /** @param perSampleLoss the name of the variable holding each sample's loss, {@code [B]} */
    LossCapture(String perSampleLoss) {
        this.perSampleLoss = perSampleLoss;
    }

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext context,
                            INDArray[] outputs) {
        java.util.List<String> names = op.getOutputsOfOp();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(perSampleLoss)) {
                last = outputs[i].meanNumber().doubleValue();
            }
        }
    }

    /** The loss of the last iteration. */
    double last() {
        return last;
    }
}

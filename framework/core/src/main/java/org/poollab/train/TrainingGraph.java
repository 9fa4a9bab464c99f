package org.poollab.train;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.config.OptimizerConfig;

/**
 * A SameDiff graph made trainable: its loss is the batch mean of a per-sample loss, AdamW is installed, and
 * {@link #step} runs one forward + backward + update and returns the loss.
 */
public final class TrainingGraph {

    private final SameDiff sd;
    private final LossCapture capture;
    private final StepClock clock;

    /**
     * @param sd the graph
     * @param features placeholders fed by {@link #step}'s {@code features}, in order
     * @param labels placeholders fed by {@link #step}'s {@code labels}, in order
     * @param perSampleLoss the per-sample loss variable {@code [B]}; the training loss is its mean
     * @param optimizer AdamW settings
     * @param schedules learning rate and weight decay per global step
     * @param freeze parameters held still early in training ({@link Freeze#NONE} for none)
     */
    public TrainingGraph(SameDiff sd, List<String> features, List<String> labels, String perSampleLoss,
                         OptimizerConfig optimizer, Schedules schedules, Freeze freeze) {
        this.sd = sd;
        this.capture = new LossCapture(perSampleLoss);
        this.clock = new StepClock();
        String loss = sd.getVariable(perSampleLoss).mean().name();
        Optimizer.install(sd, features, labels, loss, optimizer, schedules, clock, freeze);
    }

    /**
     * One training step at global step {@code step}.
     *
     * @param features arrays for the feature placeholders, in constructor order
     * @param labels arrays for the label placeholders, in constructor order
     * @return the batch's loss (before the update)
     * @throws NonFiniteLossException if the loss is NaN or infinite; the update is then not trusted
     */
    public double step(int step, INDArray[] features, INDArray[] labels) {
        clock.set(step);
        sd.fit(new MultiDataSet(features, labels), capture);
        double loss = capture.last();
        if (!Double.isFinite(loss)) {
            throw new NonFiniteLossException(step, loss);
        }
        return loss;
    }

    /** The graph. */
    public SameDiff sd() {
        return sd;
    }

    /** Every trainable parameter by graph name (live arrays). */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> out = new TreeMap<>();
        for (SDVariable variable : sd.variables()) {
            if (variable.getVariableType() == VariableType.VARIABLE) {
                out.put(variable.name(), variable.getArr());
            }
        }
        return out;
    }

    /** AdamW's state for checkpoints: {@code <param>/M}, {@code <param>/V} and {@code <param>/updates} (scalar). */
    public Map<String, INDArray> optimizerState() {
        Map<String, INDArray> out = new TreeMap<>();
        sd.getUpdaterMap().forEach((name, updater) -> {
            AdamW adam = (AdamW) updater;
            adam.getState().forEach((key, value) -> out.put(name + "/" + key, value));
            out.put(name + "/updates", Nd4j.scalar(adam.updates()));
        });
        return out;
    }
}

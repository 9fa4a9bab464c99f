package org.poollab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.model.ModelGraph;

/**
 * A momentum encoder: the trained network's architecture in its own graph, never trained, following the trained
 * one by an exponential moving average of every parameter (backbone, pooling and head): DINO's teacher, MoCo v3's
 * momentum encoder. As both reference implementations, which never put it in evaluation mode, its outputs are
 * computed with batch statistics (batch norm), and those passes update its own running averages, which k-NN
 * evaluation then uses. No stochastic depth.
 */
public final class MomentumEncoder {

    private final ModelGraph model;
    private final String logits;
    private final RunningAverages runningAverages;

    /**
     * @param model backbone + pooling on the view size
     * @param logits the head's output {@code [B, K]}
     */
    public MomentumEncoder(ModelGraph model, SDVariable logits) {
        this.model = model;
        this.logits = logits.name();
        this.runningAverages = new RunningAverages(model.scope());
    }

    /** Its backbone + pooling (what k-NN evaluates). */
    public ModelGraph model() {
        return model;
    }

    /**
     * @param views {@code [n, C, H, W]}
     * @return the head's output {@code [n, K]}
     */
    public INDArray logits(INDArray views) {
        Map<String, INDArray> inputs = model.batchStatisticsInputs(views);
        List<String> outputs = new ArrayList<>(List.of(logits));
        outputs.addAll(runningAverages.batchValues());
        Map<String, INDArray> values = model.sd().output(inputs, outputs.toArray(String[]::new));
        runningAverages.update(values);
        return values.get(logits);
    }

    /** Sets every parameter to the trained graph's value (both methods start the copy so). */
    public void copyFrom(SameDiff trained) {
        follow(trained, 0);
    }

    /** {@code theta_m <- m theta_m + (1 - m) theta} for every parameter, from the trained graph's twin. */
    public void follow(SameDiff trained, double momentum) {
        for (Map.Entry<String, INDArray> parameter : parameters().entrySet()) {
            if (!trained.hasVariable(parameter.getKey())) {
                throw new IllegalStateException("momentum-encoder parameter " + parameter.getKey()
                        + " has no twin in the trained graph");
            }
            INDArray theirs = trained.getVariable(parameter.getKey()).getArr();
            parameter.getValue().muli(momentum).addi(theirs.mul(1 - momentum));
        }
    }

    /** Every parameter by name (live arrays). */
    public Map<String, INDArray> parameters() {
        return ModelGraph.parametersOf(model.sd());
    }

    /** Every parameter and running average by name (live arrays, for checkpoints). */
    public Map<String, INDArray> weights() {
        return ModelGraph.weightsOf(model.scope());
    }
}

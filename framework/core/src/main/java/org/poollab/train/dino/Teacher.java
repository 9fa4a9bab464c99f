package org.poollab.train.dino;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.data.StochasticMasks;
import org.poollab.model.ModelGraph;

/**
 * The teacher: the student's architecture in its own graph, never trained, following the student by an
 * exponential moving average of every parameter (backbone, pooling and head). Runs in evaluation mode.
 */
final class Teacher {

    private final ModelGraph model;
    private final String logits;

    /**
     * @param model backbone + pooling on the global view size
     * @param logits the head's output {@code [B, K]}
     */
    Teacher(ModelGraph model, SDVariable logits) {
        this.model = model;
        this.logits = logits.name();
    }

    /** The teacher's backbone + pooling (what k-NN evaluates). */
    ModelGraph model() {
        return model;
    }

    /**
     * @param globalViews {@code [n, C, H, W]}
     * @return logits {@code [n, K]}
     */
    INDArray logits(INDArray globalViews) {
        int n = (int) globalViews.size(0);
        Map<String, INDArray> inputs = new HashMap<>(StochasticMasks.evaluation(model.stochasticInputs(),
                input -> n));
        inputs.put(ModelGraph.IMAGES, globalViews);
        return model.sd().output(inputs, logits).get(logits);
    }

    /** Sets every teacher parameter to the student's value (DINO starts the teacher as a copy). */
    void copyFrom(SameDiff student) {
        followStudent(student, 0);
    }

    /** {@code theta_t <- m theta_t + (1 - m) theta_s} for every parameter. */
    void followStudent(SameDiff student, double momentum) {
        for (SDVariable variable : model.sd().variables()) {
            if (variable.getVariableType() != VariableType.VARIABLE) {
                continue;
            }
            if (!student.hasVariable(variable.name())) {
                throw new IllegalStateException("teacher parameter " + variable.name() + " has no student twin");
            }
            INDArray mine = variable.getArr();
            INDArray theirs = student.getVariable(variable.name()).getArr();
            mine.muli(momentum).addi(theirs.mul(1 - momentum));
        }
    }

    /** Every parameter by name (live arrays, for checkpoints). */
    Map<String, INDArray> parameters() {
        Map<String, INDArray> out = new HashMap<>();
        for (SDVariable variable : model.sd().variables()) {
            if (variable.getVariableType() == VariableType.VARIABLE) {
                out.put(variable.name(), variable.getArr());
            }
        }
        return out;
    }
}

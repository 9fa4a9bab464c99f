package org.poollab.train.dino;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
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
        return model.sd().output(model.evaluationInputs(globalViews), logits).get(logits);
    }

    /** Sets every teacher parameter to the student's value (DINO starts the teacher as a copy). */
    void copyFrom(SameDiff student) {
        followStudent(student, 0);
    }

    /** {@code theta_t <- m theta_t + (1 - m) theta_s} for every parameter. */
    void followStudent(SameDiff student, double momentum) {
        for (Map.Entry<String, INDArray> parameter : parameters().entrySet()) {
            if (!student.hasVariable(parameter.getKey())) {
                throw new IllegalStateException("teacher parameter " + parameter.getKey() + " has no student twin");
            }
            INDArray theirs = student.getVariable(parameter.getKey()).getArr();
            parameter.getValue().muli(momentum).addi(theirs.mul(1 - momentum));
        }
    }

    /** Every parameter by name (live arrays, for checkpoints). */
    Map<String, INDArray> parameters() {
        return ModelGraph.parametersOf(model.sd());
    }
}

package org.poollab.train.dino;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.model.ModelGraph;
import org.poollab.train.RunningAverages;

/**
 * The teacher: the student's architecture in its own graph, never trained, following the student by an
 * exponential moving average of every parameter (backbone, pooling and head). As in DINO, which never puts its
 * teacher in evaluation mode, its targets are computed with batch statistics (batch norm), and those passes update
 * the teacher's own running averages, which k-NN evaluation then uses. No stochastic depth.
 */
final class Teacher {

    private final ModelGraph model;
    private final String logits;
    private final RunningAverages runningAverages;

    /**
     * @param model backbone + pooling on the global view size
     * @param logits the head's output {@code [B, K]}
     */
    Teacher(ModelGraph model, SDVariable logits) {
        this.model = model;
        this.logits = logits.name();
        this.runningAverages = new RunningAverages(model.scope());
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
        Map<String, INDArray> inputs = model.batchStatisticsInputs(globalViews);
        List<String> outputs = new ArrayList<>(List.of(logits));
        outputs.addAll(runningAverages.batchValues());
        Map<String, INDArray> values = model.sd().output(inputs, outputs.toArray(String[]::new));
        runningAverages.update(values);
        return values.get(logits);
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

    /** Every parameter by name (live arrays). */
    Map<String, INDArray> parameters() {
        return ModelGraph.parametersOf(model.sd());
    }

    /** Every parameter and running average by name (live arrays, for checkpoints). */
    Map<String, INDArray> weights() {
        return ModelGraph.weightsOf(model.scope());
    }
}

package org.poollab.train.dino;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * DINO's centring and sharpening of the teacher: targets {@code softmax((t - c) / tau_t)} and, after each step,
 * {@code c <- m c + (1 - m) mean_batch(t)}.
 */
final class TeacherCentre {

    private final INDArray centre;
    private final double momentum;

    /**
     * @param outDim K
     * @param momentum m
     */
    TeacherCentre(int outDim, double momentum) {
        this.centre = Nd4j.zeros(DataType.FLOAT, 1, outDim);
        this.momentum = momentum;
    }

    /**
     * @param logits teacher logits {@code [n, K]}
     * @return targets {@code [n, K]}, rows summing to 1
     */
    INDArray targets(INDArray logits, double temperature) {
        INDArray scaled = logits.subRowVector(centre).divi(temperature);
        scaled.subiColumnVector(scaled.max(1).reshape(-1, 1));
        INDArray exp = Transforms.exp(scaled, false);
        return exp.diviColumnVector(exp.sum(1).reshape(-1, 1));
    }

    /** Moves the centre towards the mean of this step's teacher logits {@code [n, K]}. */
    void update(INDArray logits) {
        centre.muli(momentum).addi(logits.mean(true, 0).muli(1 - momentum));
    }

    /** L2 norm of the centre (a health signal). */
    double norm() {
        return centre.norm2Number().doubleValue();
    }

    /** The centre {@code [1, K]} (live view, for checkpoints). */
    INDArray centre() {
        return centre;
    }

    /** Mean entropy (nats) of the rows of {@code probabilities} {@code [n, K]}. */
    static double meanEntropy(INDArray probabilities) {
        INDArray logs = Transforms.log(probabilities.add(1e-12), false);
        return -probabilities.mul(logs).sum(1).meanNumber().doubleValue();
    }
}

package org.poollab.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.poollab.config.OptimizerConfig;

/**
 * AdamW for one parameter, with per-parameter gradient-norm clipping (DINO's {@code clip_gradients}) and decoupled
 * weight decay (Loshchilov and Hutter): {@code update = lr * m^ / (sqrt(v^) + eps) + lr * wd * theta}. SameDiff
 * calls {@link #applyUpdater} with the gradient and subtracts what it leaves in that array from the parameter.
 * The learning rate comes from the schedule at the shared global step, not from SameDiff's iteration count.
 */
final class AdamW implements GradientUpdater<IUpdater> {

    private static final IUpdater PLACEHOLDER = new Sgd(0.0);

    private final INDArray parameter;
    private final boolean decay;
    private final OptimizerConfig config;
    private final Schedule learningRate;
    private final StepClock clock;
    private final INDArray firstMoment;
    private final INDArray secondMoment;

    /**
     * @param parameter the parameter array (read for weight decay)
     * @param decay whether weight decay applies (not for biases, norms and other 1-d parameters)
     */
    AdamW(INDArray parameter, boolean decay, OptimizerConfig config, Schedule learningRate, StepClock clock) {
        this.parameter = parameter;
        this.decay = decay;
        this.config = config;
        this.learningRate = learningRate;
        this.clock = clock;
        this.firstMoment = parameter.ulike();
        this.secondMoment = parameter.ulike();
        firstMoment.assign(0);
        secondMoment.assign(0);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        int step = clock.step();
        double lr = learningRate.at(step);
        clip(gradient);
        double beta1 = config.beta1();
        double beta2 = config.beta2();
        firstMoment.muli(beta1).addi(gradient.mul(1 - beta1));
        secondMoment.muli(beta2).addi(gradient.mul(gradient).muli(1 - beta2));
        double correction1 = 1 - Math.pow(beta1, step + 1);
        double correction2 = 1 - Math.pow(beta2, step + 1);
        INDArray denominator = Transforms.sqrt(secondMoment.div(correction2), false).addi(config.eps());
        gradient.assign(firstMoment.div(denominator).muli(lr / correction1));
        if (decay && config.weightDecay() > 0) {
            gradient.addi(parameter.mul(lr * config.weightDecay()));
        }
    }

    private void clip(INDArray gradient) {
        if (config.clipGrad() <= 0) {
            return;
        }
        double norm = gradient.norm2Number().doubleValue();
        if (norm > config.clipGrad()) {
            gradient.muli(config.clipGrad() / (norm + 1e-6));
        }
    }

    @Override
    public IUpdater getConfig() {
        return PLACEHOLDER;
    }

    @Override
    public void setState(Map<String, INDArray> state, boolean initialize) {
        throw new UnsupportedOperationException("AdamW state is held by PoolLab, not restored by SameDiff");
    }

    @Override
    public Map<String, INDArray> getState() {
        return Map.of("M", firstMoment, "V", secondMoment);
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        throw new UnsupportedOperationException("AdamW keeps its own state arrays");
    }
}

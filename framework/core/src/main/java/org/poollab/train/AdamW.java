package org.poollab.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.poollab.config.OptimizerConfig;

/**
 * AdamW for one parameter of one replica (bias correction by its own update count, as PyTorch's per-parameter
 * state), on the gradient averaged over the replicas ({@link GradientExchange}; one replica: its own), with
 * per-parameter gradient-norm clipping (DINO's {@code clip_gradients}) and decoupled weight decay (Loshchilov and
 * Hutter): {@code update = lr * m^ / (sqrt(v^) + eps) + lr * wd * theta}. SameDiff calls {@link #applyUpdater} with the
 * gradient and subtracts what it leaves in that array from the parameter. Learning rate and weight decay come from
 * their schedules at the shared global step, not from SameDiff's iteration count.
 */
final class AdamW implements GradientUpdater<IUpdater> {

    private static final IUpdater PLACEHOLDER = new Sgd(0.0);

    private final INDArray parameter;
    private final boolean decay;
    private final OptimizerConfig config;
    private final Schedules schedules;
    private final StepClock clock;
    private final INDArray firstMoment;
    private final INDArray secondMoment;
    /** Room for the update's intermediates, the parameter's shape. */
    private final INDArray scratch;
    private final Freeze freeze;
    private final String name;
    private final GradientExchange exchange;
    private final int replica;
    private int updates;

    /**
     * @param name the parameter's graph name
     * @param parameter the parameter array (read for weight decay)
     * @param decay whether weight decay applies (not for biases, norms and other 1-d parameters)
     * @param freeze when this parameter must not move
     * @param exchange averages the gradient over the replicas
     * @param replica this parameter's replica
     */
    AdamW(String name, INDArray parameter, boolean decay, OptimizerConfig config, Schedules schedules,
          StepClock clock, Freeze freeze, GradientExchange exchange, int replica) {
        this.name = name;
        this.exchange = exchange;
        this.replica = replica;
        this.freeze = freeze;
        this.parameter = parameter;
        this.decay = decay;
        this.config = config;
        this.schedules = schedules;
        this.clock = clock;
        this.firstMoment = parameter.ulike();
        this.secondMoment = parameter.ulike();
        this.scratch = parameter.ulike();
        firstMoment.assign(0);
        secondMoment.assign(0);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        int step = clock.step();
        if (freeze.frozen(name, step)) {
            gradient.assign(0);
            return;
        }
        try {
            exchange.average(name, replica, gradient);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while averaging the gradient of " + name, e);
        }
        updates++;
        double lr = schedules.learningRate().at(step);
        double weightDecay = decay ? schedules.weightDecay().at(step) : 0;
        clip(gradient);
        double beta1 = config.beta1();
        double beta2 = config.beta2();
        // Every intermediate goes to the one scratch array: a fresh buffer per op would be zeroed, faulted in and
        // collected every step for every parameter. The same ops in the same order as with fresh buffers, so the
        // same bits.
        firstMoment.muli(beta1).addi(gradient.mul(1 - beta1, scratch));
        secondMoment.muli(beta2).addi(gradient.mul(gradient, scratch).muli(1 - beta2));
        double correction1 = 1 - Math.pow(beta1, updates);
        double correction2 = 1 - Math.pow(beta2, updates);
        INDArray denominator = Transforms.sqrt(secondMoment.div(correction2, scratch), false).addi(config.eps());
        firstMoment.div(denominator, gradient).muli(lr / correction1);
        if (weightDecay > 0) {
            gradient.addi(parameter.mul(lr * weightDecay, scratch));
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

    /** Continues the bias-correction count from a checkpoint (the moments are restored in place). */
    void restoreUpdates(int count) {
        updates = count;
    }

    /** How many updates were applied (Adam's bias-correction count; frozen steps do not count). */
    int updates() {
        return updates;
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        throw new UnsupportedOperationException("AdamW keeps its own state arrays");
    }
}

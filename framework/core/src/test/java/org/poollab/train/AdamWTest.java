package org.poollab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.config.OptimizerConfig;
import org.poollab.schedule.Schedule;

/**
 * AdamW's update against PyTorch's formula written out in plain double-precision Java: per-parameter gradient-norm
 * clipping, bias-corrected moments, {@code lr m^ / (sqrt(v^) + eps)} plus decoupled weight decay, with the learning
 * rate and decay read at the global step; frozen steps move nothing and do not count for the bias correction.
 */
class AdamWTest {

    private static final int ROWS = 3;
    private static final int COLUMNS = 4;
    private static final int STEPS = 6;
    private static final OptimizerConfig CONFIG = OptimizerConfig.builder().lr(0.01).minLr(0.001).weightDecay(0.04)
            .weightDecayEnd(0.4).warmupFraction(0).clipGrad(1.5).beta1(0.9).beta2(0.999).eps(1e-8).build();
    private static final Schedules SCHEDULES = new Schedules(Schedule.cosine(0.01, 0.001, STEPS),
            Schedule.cosine(0.04, 0.4, STEPS));

    /** {@code ROWS × COLUMNS} values drawn from {@code N(0, scale²)} with {@code seed}. */
    private static double[] gaussian(long seed, double scale) {
        Random random = new Random(seed);
        double[] values = new double[ROWS * COLUMNS];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian() * scale;
        }
        return values;
    }

    /** Step {@code step}'s gradient: large enough on some steps for the clipping to act. */
    private static double[] gradient(int step) {
        return gaussian(40 + step, step % 2 == 0 ? 2.0 : 0.2);
    }

    /** The parameter after {@code STEPS} steps of PyTorch's AdamW, skipping the steps before {@code frozenUntil}. */
    private static double[] expected(double[] start, boolean decay, int frozenUntil) {
        double[] theta = start.clone();
        double[] m = new double[theta.length];
        double[] v = new double[theta.length];
        int t = 0;
        for (int step = frozenUntil; step < STEPS; step++) {
            t++;
            double[] g = gradient(step);
            double norm = 0;
            for (double x : g) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            double clip = norm > CONFIG.clipGrad() ? CONFIG.clipGrad() / (norm + 1e-6) : 1.0;
            double lr = SCHEDULES.learningRate().at(step);
            double wd = decay ? SCHEDULES.weightDecay().at(step) : 0;
            for (int i = 0; i < theta.length; i++) {
                double gi = g[i] * clip;
                m[i] = CONFIG.beta1() * m[i] + (1 - CONFIG.beta1()) * gi;
                v[i] = CONFIG.beta2() * v[i] + (1 - CONFIG.beta2()) * gi * gi;
                double mHat = m[i] / (1 - Math.pow(CONFIG.beta1(), t));
                double vHat = v[i] / (1 - Math.pow(CONFIG.beta2(), t));
                theta[i] -= lr * mHat / (Math.sqrt(vHat) + CONFIG.eps()) + lr * wd * theta[i];
            }
        }
        return theta;
    }

    /** Runs AdamW as SameDiff does (the parameter minus what the updater leaves in the gradient array). */
    private static double[] trained(double[] start, boolean decay, int frozenUntil) {
        INDArray parameter = Nd4j.createFromArray(start).reshape(ROWS, COLUMNS).castTo(DataType.FLOAT);
        StepClock clock = new StepClock();
        AdamW adam = new AdamW("w", parameter, decay, CONFIG, SCHEDULES, clock,
                new Freeze(name -> true, frozenUntil), new GradientExchange(1), 0);
        for (int step = 0; step < STEPS; step++) {
            clock.set(step);
            INDArray g = Nd4j.createFromArray(gradient(step)).reshape(ROWS, COLUMNS).castTo(parameter.dataType());
            adam.applyUpdater(g, step, 0);
            parameter.subi(g);
        }
        assertEquals(STEPS - frozenUntil, adam.updates(), "updates counted for the bias correction");
        return parameter.castTo(DataType.DOUBLE).data().asDouble();
    }

    private static double[] start() {
        return gaussian(7, 1.0);
    }

    @Test
    void followsPyTorchsAdamWWithClippingAndDecoupledWeightDecay() {
        double[] start = start();
        // float32 arithmetic against double: a few ulps of the values and of the step sizes (lr 1e-2)
        assertArrayEquals(expected(start, true, 0), trained(start, true, 0), 2e-6);
        assertArrayEquals(expected(start, false, 0), trained(start, false, 0), 2e-6);
    }

    @Test
    void frozenStepsMoveNothingAndTheBiasCorrectionCountsFromTheFirstRealUpdate() {
        double[] start = start();
        assertArrayEquals(expected(start, true, 2), trained(start, true, 2), 2e-6);
        double[] frozenThroughout = trained(start, true, STEPS);
        for (int i = 0; i < start.length; i++) {
            assertEquals((float) start[i], frozenThroughout[i], 0.0, "element " + i);
        }
    }
}

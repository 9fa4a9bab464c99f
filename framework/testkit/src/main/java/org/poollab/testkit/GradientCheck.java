package org.poollab.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Compares SameDiff's analytic gradients of a scalar loss with central finite differences, in double precision,
 * on a random sample of entries of every trainable variable.
 */
public final class GradientCheck {

    private static final double STEP = 1e-6;

    private final double maxRelativeError;
    private final double absoluteFloor;
    private final int entriesPerVariable;

    /**
     * @param maxRelativeError allowed |analytic - numeric| / max(|analytic| + |numeric|, floor)
     * @param absoluteFloor denominator floor so that near-zero gradients are compared absolutely
     * @param entriesPerVariable how many entries of each variable to perturb
     */
    public GradientCheck(double maxRelativeError, double absoluteFloor, int entriesPerVariable) {
        this.maxRelativeError = maxRelativeError;
        this.absoluteFloor = absoluteFloor;
        this.entriesPerVariable = entriesPerVariable;
    }

    /**
     * Defaults that double precision meets with a wide margin (errors seen are ~1e-9). Entries whose true gradient
     * is 0 (a key bias, which softmax ignores) come out of central differences as rounding noise of about
     * {@code 1e-16 |loss| / step} = 1e-10 |loss|; the floor 1e-4 lets such entries differ by 1e-9 absolutely,
     * while every gradient above 1e-4 is still held to 1e-5 relative error.
     */
    public static GradientCheck standard() {
        return new GradientCheck(1e-5, 1e-4, 12);
    }

    /**
     * Checks every trainable variable of {@code sd} and asserts that each has a gradient within tolerance.
     *
     * @param sd a graph built in {@link DataType#DOUBLE}
     * @param loss a scalar variable
     * @param placeholders values for every placeholder the loss needs
     * @return how many entries were checked
     */
    public int assertGradients(SameDiff sd, SDVariable loss, Map<String, INDArray> placeholders) {
        List<String> names = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                names.add(v.name());
            }
        }
        assertTrue(!names.isEmpty(), "graph has no trainable variables");
        sd.setLossVariables(loss.name());
        Map<String, INDArray> analytic = sd.calculateGradients(placeholders, names);
        SplittableRandom random = new SplittableRandom(7);
        int checked = 0;
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            INDArray param = sd.getVariable(name).getArr();
            INDArray gradient = analytic.get(name);
            assertTrue(gradient != null, "no gradient for " + name);
            assertTrue(param.dataType() == DataType.DOUBLE, name + " is " + param.dataType() + ", expected DOUBLE");
            long length = param.length();
            int samples = (int) Math.min(length, entriesPerVariable);
            for (int s = 0; s < samples; s++) {
                long index = samples == length ? s : random.nextLong(length);
                double numeric = numericDerivative(sd, loss, placeholders, param, index);
                double exact = gradient.getDouble(index);
                double denominator = Math.max(Math.abs(exact) + Math.abs(numeric), absoluteFloor);
                double error = Math.abs(exact - numeric) / denominator;
                if (error > maxRelativeError) {
                    failures.add(name + "[" + index + "]: analytic " + exact + " numeric " + numeric);
                }
                checked++;
            }
        }
        assertTrue(failures.isEmpty(), "gradient mismatches:\n" + String.join("\n", failures));
        return checked;
    }

    private static double numericDerivative(SameDiff sd, SDVariable loss, Map<String, INDArray> placeholders,
                                            INDArray param, long index) {
        double original = param.getDouble(index);
        param.putScalar(index, original + STEP);
        double plus = evaluate(sd, loss, placeholders);
        param.putScalar(index, original - STEP);
        double minus = evaluate(sd, loss, placeholders);
        param.putScalar(index, original);
        return (plus - minus) / (2 * STEP);
    }

    private static double evaluate(SameDiff sd, SDVariable loss, Map<String, INDArray> placeholders) {
        return sd.output(placeholders, loss.name()).get(loss.name()).getDouble(0);
    }
}

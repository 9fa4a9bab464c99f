package org.poollab.api.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a component builds its part of a SameDiff graph: a name prefix for its parameters, the seeded initialiser,
 * the floating type and the precision of matrix products, and the registry of per-step random inputs. Parameters
 * are get-or-create by full name, so building the same component twice in one graph (multi-crop views) shares its
 * weights.
 */
public final class GraphScope {

    /** The placeholder name of the batch-statistics flag ({@link #trainingFlag}). */
    public static final String TRAINING_FLAG = "training";

    private final SameDiff sameDiff;
    private final String prefix;
    private final String input;
    private final Shared shared;

    private record Shared(ParamInit init, DataType dataType, Precision precision,
                          List<StochasticInput> stochasticInputs, List<RunningAverage> runningAverages) {
    }

    private GraphScope(SameDiff sameDiff, String prefix, String input, Shared shared) {
        this.sameDiff = sameDiff;
        this.prefix = prefix;
        this.input = input;
        this.shared = shared;
    }

    /**
     * The root scope of a new model graph.
     *
     * @param sameDiff the graph
     * @param dataType FLOAT for training, DOUBLE for gradient checks
     * @param seed seeds parameter initialisation
     */
    public static GraphScope root(SameDiff sameDiff, DataType dataType, long seed) {
        return root(sameDiff, dataType, seed, Precision.FP32);
    }

    /**
     * The root scope of a new model graph whose matrix products use {@code precision} ({@link Layers#product}).
     *
     * @param sameDiff the graph
     * @param dataType FLOAT for training, DOUBLE for gradient checks
     * @param seed seeds parameter initialisation
     */
    public static GraphScope root(SameDiff sameDiff, DataType dataType, long seed, Precision precision) {
        return new GraphScope(sameDiff, "", "", new Shared(new ParamInit(seed, dataType), dataType, precision,
                new ArrayList<>(), new ArrayList<>()));
    }

    /** The SameDiff graph being built. */
    public SameDiff sd() {
        return sameDiff;
    }

    /** The floating type of every parameter and activation. */
    public DataType dataType() {
        return shared.dataType();
    }

    /** The number format of the graph's matrix products. */
    public Precision precision() {
        return shared.precision();
    }

    /** The seeded initialiser. */
    public ParamInit init() {
        return shared.init();
    }

    /** A nested scope: names inside it are prefixed with {@code name/}. */
    public GraphScope child(String name) {
        return new GraphScope(sameDiff, qualify(name) + "/", input, shared);
    }

    /**
     * The same scope for a second input of the graph (another multi-crop view with its own batch size):
     * parameters stay shared, per-sample random inputs get their own placeholders, named {@code input/...}.
     *
     * @param inputName the image placeholder this forward pass starts from; "" is the graph's main input
     */
    public GraphScope forInput(String inputName) {
        return new GraphScope(sameDiff, prefix, inputName, shared);
    }

    /** The full graph name of a local name in this scope. */
    public String qualify(String localName) {
        return prefix + localName;
    }

    /**
     * A trainable parameter, created with {@code initial} the first time and returned as is afterwards.
     *
     * @param localName the name inside this scope
     * @param initial the initial value (ignored when the parameter already exists)
     */
    public SDVariable parameter(String localName, INDArray initial) {
        String name = qualify(localName);
        if (sameDiff.hasVariable(name)) {
            SDVariable existing = sameDiff.getVariable(name);
            if (existing.getVariableType() != VariableType.VARIABLE) {
                throw new IllegalStateException(name + " already exists and is not a parameter");
            }
            return existing;
        }
        return sameDiff.var(name, initial);
    }

    /**
     * A scalar hyper-parameter that a component may learn (GeM's p, LSE's r): a trainable parameter {@code [1]}
     * initialised at {@code value}, or the constant {@code value} when not trainable.
     */
    public SDVariable scalar(String localName, double value, boolean trainable) {
        if (trainable) {
            return parameter(localName, init().constant(value, 1));
        }
        return sameDiff.constant(Nd4j.scalar(dataType(), value));
    }

    /**
     * A per-sample keep mask for stochastic depth, shape {@code [B, 1, ..., 1]} of the given rank, B being the batch of
     * this scope's input; see {@link StochasticInput}. Returns {@code null} when {@code dropProbability} is 0 (nothing
     * to drop).
     */
    public SDVariable keepMask(String localName, double dropProbability, int rank) {
        if (dropProbability <= 0) {
            return null;
        }
        String name = input.isEmpty() ? qualify(localName) : input + "/" + qualify(localName);
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        shape[0] = -1;
        SDVariable mask = sameDiff.placeHolder(name, dataType(), shape);
        shared.stochasticInputs().add(new StochasticInput(name, dropProbability, rank, input));
        return mask;
    }

    /**
     * The batch-statistics flag {@code [1]}: 1 while training, 0 in evaluation (see {@link StochasticInput}).
     * One per graph, whatever the input.
     */
    public SDVariable trainingFlag() {
        if (sameDiff.hasVariable(TRAINING_FLAG)) {
            return sameDiff.getVariable(TRAINING_FLAG);
        }
        SDVariable flag = sameDiff.placeHolder(TRAINING_FLAG, dataType(), 1);
        shared.stochasticInputs().add(StochasticInput.flag(TRAINING_FLAG));
        return flag;
    }

    /**
     * A running average of a batch statistic (see {@link RunningAverage}): a graph constant created with
     * {@code initial} the first time. Called again with the same name (another multi-crop view), it returns the
     * same constant and registers one more update per step, as PyTorch does for each forward pass.
     *
     * @param batchValue this forward pass's statistic, same shape as {@code initial}
     */
    public SDVariable runningAverage(String localName, INDArray initial, SDVariable batchValue, double momentum) {
        String name = qualify(localName);
        SDVariable average;
        if (sameDiff.hasVariable(name)) {
            average = sameDiff.getVariable(name);
            if (average.getVariableType() != VariableType.CONSTANT) {
                throw new IllegalStateException(name + " already exists and is not a running average");
            }
        } else {
            average = sameDiff.constant(name, initial);
        }
        shared.runningAverages().add(new RunningAverage(name, batchValue.name(), momentum));
        return average;
    }

    /** Every running-average update registered so far, in creation order. */
    public List<RunningAverage> runningAverages() {
        return Collections.unmodifiableList(shared.runningAverages());
    }

    /** Every random input registered so far, in creation order. */
    public List<StochasticInput> stochasticInputs() {
        return Collections.unmodifiableList(shared.stochasticInputs());
    }
}

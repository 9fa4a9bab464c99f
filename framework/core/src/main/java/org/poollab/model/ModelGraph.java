package org.poollab.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.api.backbone.Features;
import org.poollab.api.backbone.Grid;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Precision;
import org.poollab.api.graph.StochasticInput;
import org.poollab.api.pooling.PoolingResult;
import org.poollab.data.StochasticMasks;

/**
 * Backbone + pooling + the backbone's final norm in one SameDiff graph: images {@code [B, C, H, W]} to the
 * feature vector {@code [B, d]} used by heads and by k-NN, plus the pooling's attention map {@code [B, N]}.
 *
 * @param sd the graph
 * @param scope the root scope (heads add their parameters here)
 * @param images the image placeholder {@code [B, C, H, W]}
 * @param features the pooled features {@code [B, d']}, normalised by the backbone's final norm when d' = d
 * @param attention the attention map {@code [B, N]}, if the pooling has one
 * @param grid the token grid (N = height x width)
 * @param featureDim d' ({@link ModelSpec#featureDim})
 * @param headAttention the per-head maps {@code [B, H, N]}, if the pooling has them
 */
public record ModelGraph(SameDiff sd, GraphScope scope, SDVariable images, SDVariable features,
                         Optional<SDVariable> attention, Grid grid, int featureDim,
                         Optional<SDVariable> headAttention) {

    /** Without per-head maps. */
    public ModelGraph(SameDiff sd, GraphScope scope, SDVariable images, SDVariable features,
                      Optional<SDVariable> attention, Grid grid, int featureDim) {
        this(sd, scope, images, features, attention, grid, featureDim, Optional.empty());
    }

    /** The name of the image placeholder. */
    public static final String IMAGES = "images";

    /**
     * Builds the graph on one image input of the spec's shape.
     *
     * @throws IncompatibleComponentsException if the pooling needs prefix tokens the backbone cannot provide
     */
    public static ModelGraph build(ModelSpec spec, DataType dataType, long seed) {
        return build(spec, dataType, seed, Precision.FP32);
    }

    /**
     * Builds the graph on one image input of the spec's shape, its matrix products in {@code precision}.
     *
     * @throws IncompatibleComponentsException if the pooling needs prefix tokens the backbone cannot provide
     */
    public static ModelGraph build(ModelSpec spec, DataType dataType, long seed, Precision precision) {
        ImageShape input = spec.input();
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, dataType, seed, precision);
        SDVariable images = imageInput(scope, IMAGES, input);
        ModelOutput output = forward(spec, scope, images, input);
        return new ModelGraph(sd, scope, images, output.features(), output.attention(), output.grid(),
                spec.featureDim(), output.headAttention());
    }

    /** An image placeholder {@code [B, C, H, W]} named {@code name}. */
    public static SDVariable imageInput(GraphScope scope, String name, ImageShape shape) {
        return scope.sd().placeHolder(name, scope.dataType(), -1, shape.channels(), shape.height(), shape.width());
    }

    /**
     * Backbone, pooling and final norm on {@code images}. Called again in the same graph (another multi-crop view,
     * through {@link GraphScope#forInput}) it reuses the same parameters.
     *
     * @param images {@code [B, C, H, W]} of the given shape
     * @return the features {@code [B, d']} (d' = {@link ModelSpec#featureDim}), the attention map {@code [B, N]}
     *         and per-head maps {@code [B, H, N]} if any, and the grid
     * @throws IncompatibleComponentsException if the pooling needs prefix tokens the backbone cannot provide
     */
    public static ModelOutput forward(ModelSpec spec, GraphScope scope, SDVariable images, ImageShape shape) {
        List<String> prefix = spec.pooling().prefixTokens();
        if (!prefix.isEmpty() && !spec.backbone().supportsPrefixTokens()) {
            throw new IncompatibleComponentsException("pooling '" + spec.poolingId() + "' needs prefix tokens "
                    + prefix + " but backbone '" + spec.backboneId() + "' cannot provide them; choose a transformer "
                    + "backbone or another pooling");
        }
        Features tokens = spec.backbone().forward(scope.child("backbone"), images, shape, prefix);
        PoolingResult pooled = spec.pooling().pool(scope.child("pooling"), tokens);
        boolean keepsWidth = spec.featureDim() == spec.backbone().featureDim(); // the final norm has width d
        return new ModelOutput(keepsWidth ? tokens.finalNorm().apply(pooled.pooled()) : pooled.pooled(),
                pooled.attention(), pooled.headAttention(), tokens.grid());
    }

    /**
     * The placeholders of an evaluation-mode forward pass: the images, keep-everything stochastic-depth masks and
     * batch norm on its running averages.
     *
     * @param images {@code [B, C, H, W]}
     */
    public Map<String, INDArray> evaluationInputs(INDArray images) {
        return withImages(images, StochasticMasks.evaluation(stochasticInputs(), input -> (int) images.size(0)));
    }

    /**
     * The placeholders of a deterministic forward pass with batch norm on the batch's statistics (DINO's teacher):
     * the images, keep-everything masks and the training flag.
     *
     * @param images {@code [B, C, H, W]}
     */
    public Map<String, INDArray> batchStatisticsInputs(INDArray images) {
        return withImages(images, StochasticMasks.batchStatistics(stochasticInputs(), input -> (int) images.size(0)));
    }

    private static Map<String, INDArray> withImages(INDArray images, Map<String, INDArray> stepInputs) {
        Map<String, INDArray> inputs = new HashMap<>(stepInputs);
        inputs.put(IMAGES, images);
        return inputs;
    }

    /** Every trainable parameter of {@code sd} by graph name, sorted (live arrays). */
    public static Map<String, INDArray> parametersOf(SameDiff sd) {
        Map<String, INDArray> out = new TreeMap<>();
        for (SDVariable variable : sd.variables()) {
            if (variable.getVariableType() == VariableType.VARIABLE) {
                out.put(variable.name(), variable.getArr());
            }
        }
        return out;
    }

    /**
     * Every trainable parameter and running average (batch norm) of a graph by name, sorted (live arrays): what a
     * checkpoint keeps.
     */
    public static Map<String, INDArray> weightsOf(GraphScope scope) {
        Map<String, INDArray> out = parametersOf(scope.sd());
        scope.runningAverages().forEach(average -> out.put(average.name(),
                scope.sd().getArrForVarName(average.name())));
        return out;
    }

    /** Per-step inputs (stochastic depth masks, the batch-statistics flag) the graph needs fed. */
    public List<StochasticInput> stochasticInputs() {
        return scope.stochasticInputs();
    }
}

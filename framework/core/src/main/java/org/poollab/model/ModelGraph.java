package org.poollab.model;

import java.util.List;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.poollab.api.backbone.BackboneModule;
import org.poollab.api.backbone.Features;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.StochasticInput;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.api.pooling.PoolingResult;

/**
 * Backbone + pooling + the backbone's final norm in one SameDiff graph: images {@code [B, C, H, W]} to the
 * feature vector {@code [B, d]} used by heads and by k-NN, plus the pooling's attention map {@code [B, N]}.
 *
 * @param sd the graph
 * @param scope the root scope (heads add their parameters here)
 * @param images the image placeholder {@code [B, C, H, W]}
 * @param features the pooled, normalised features {@code [B, d]}
 * @param attention the attention map {@code [B, N]}, if the pooling has one
 * @param featureDim d
 */
public record ModelGraph(SameDiff sd, GraphScope scope, SDVariable images, SDVariable features,
                         Optional<SDVariable> attention, int featureDim) {

    /** The name of the image placeholder. */
    public static final String IMAGES = "images";

    /**
     * Builds the graph.
     *
     * @throws IncompatibleComponentsException if the pooling needs prefix tokens the backbone cannot provide
     */
    public static ModelGraph build(ModelSpec spec, DataType dataType, long seed) {
        BackboneModule backbone = spec.backbone();
        PoolingModule pooling = spec.pooling();
        ImageShape input = spec.input();
        List<String> prefix = pooling.prefixTokens();
        if (!prefix.isEmpty() && !backbone.supportsPrefixTokens()) {
            throw new IncompatibleComponentsException("pooling '" + spec.poolingId() + "' needs prefix tokens "
                    + prefix + " but backbone '" + spec.backboneId() + "' cannot provide them; choose a transformer "
                    + "backbone or another pooling");
        }
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, dataType, seed);
        SDVariable images = sd.placeHolder(IMAGES, dataType, -1, input.channels(), input.height(), input.width());
        Features tokens = backbone.forward(scope.child("backbone"), images, input, prefix);
        PoolingResult pooled = pooling.pool(scope.child("pooling"), tokens);
        SDVariable features = tokens.finalNorm().apply(pooled.pooled());
        return new ModelGraph(sd, scope, images, features, pooled.attention(), backbone.featureDim());
    }

    /** Per-step random inputs (stochastic depth masks) the graph needs fed. */
    public List<StochasticInput> stochasticInputs() {
        return scope.stochasticInputs();
    }
}

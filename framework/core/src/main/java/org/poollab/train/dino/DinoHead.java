package org.poollab.train.dino;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.config.DinoConfig;

/**
 * DINO's projection head: MLP {@code d -> hidden -> hidden -> bottleneck} with GELU, L2 normalisation, then a
 * weight-normalised linear layer to K prototypes, {@code W = g v / ||v||} per prototype, with g fixed to 1 when
 * {@code normLastLayer}. Its last layer's parameters are named {@value #LAST_LAYER}/... (frozen early on).
 */
final class DinoHead {

    /** Scope name of the weight-normalised last layer. */
    static final String LAST_LAYER = "last_layer";
    private static final double NORM_EPS = 1e-12;

    private final Layers layers;
    private final DinoConfig config;

    DinoHead(Layers layers, DinoConfig config) {
        this.layers = layers;
        this.config = config;
    }

    /**
     * @param features {@code [B, inDim]}
     * @return logits {@code [B, K]}
     */
    SDVariable apply(GraphScope scope, SDVariable features, int inDim) {
        SameDiff sd = scope.sd();
        SDVariable h = layers.gelu(sd, layers.linear(scope, "mlp.0", features, inDim, config.hiddenDim(), true));
        h = layers.gelu(sd, layers.linear(scope, "mlp.2", h, config.hiddenDim(), config.hiddenDim(), true));
        SDVariable z = layers.linear(scope, "mlp.4", h, config.hiddenDim(), config.bottleneckDim(), true);
        z = z.div(sd.math.sqrt(z.mul(z).sum(true, 1).add(NORM_EPS * NORM_EPS))); // [B, bottleneck], unit rows
        GraphScope last = scope.child(LAST_LAYER);
        SDVariable direction = last.parameter("v",
                last.init().truncatedNormal(Layers.WEIGHT_STD, config.bottleneckDim(), config.outDim()));
        SDVariable weight = direction.div(sd.math.sqrt(direction.mul(direction).sum(true, 0))); // unit columns
        if (!config.normLastLayer()) {
            weight = weight.mul(last.parameter("g", last.init().ones(1, config.outDim())));
        }
        return layers.product(scope, z, weight);
    }
}

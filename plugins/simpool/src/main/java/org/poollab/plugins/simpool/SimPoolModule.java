package org.poollab.plugins.simpool;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.poollab.api.backbone.Features;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.api.pooling.Interaction;
import org.poollab.api.pooling.StagedPooling;

/** SimPool's three steps (docs/method.md §3). */
final class SimPoolModule extends StagedPooling {

    private final Layers layers;
    private final SimPoolSettings settings;

    SimPoolModule(Layers layers, SimPoolSettings settings) {
        this.layers = layers;
        this.settings = settings;
    }

    /** {@code u0 = mean_j X_j} on the un-normalised tokens: {@code [B, N, d] -> [B, d]}. */
    @Override
    protected SDVariable initialRepresentation(GraphScope scope, Features features) {
        return layers.tokenMean(features.tokens());
    }

    /**
     * {@code Z = LN(X)}, {@code a = softmax_N(u0 Wq (Z Wk)^T / sqrt(d_head))} per head; values are Z itself.
     */
    @Override
    protected Interaction interact(GraphScope scope, Features features, SDVariable initial) {
        SameDiff sd = scope.sd();
        int dim = settings.dim();
        int heads = settings.heads();
        int headDim = dim / heads;
        int tokens = features.grid().tokens();
        SDVariable normalised = layers.layerNorm(scope, "norm", features.tokens(), 3, dim, settings.eps());
        SDVariable query = layers.linear(scope, "Wq", initial, dim, dim, settings.qkBias()); // [B, d]
        // [B, N, d]
        SDVariable keys = layers.linearTokens(scope, "Wk", normalised, tokens, dim, dim, settings.qkBias());
        SDVariable queryHeads = query.reshape(-1, heads, 1, headDim); // [B, H, 1, d/H]
        SDVariable keyHeads = sd.permute(keys.reshape(-1, tokens, heads, headDim), 0, 2, 1, 3); // [B, H, N, d/H]
        SDVariable scores = sd.mmul(queryHeads, keyHeads, false, true, false) // [B, H, 1, N]
                .mul(1.0 / Math.sqrt(headDim))
                .reshape(-1, heads, tokens); // [B, H, N]
        return new Interaction(layers.softmax(sd, scores, 2), heads, normalised);
    }

    /** No gamma: {@code u = a Z}. With gamma: {@code u = (a (Z - m + eps)^gamma)^(1/gamma) (+ beta)}. */
    @Override
    protected SDVariable aggregate(GraphScope scope, Features features, Interaction interaction) {
        SameDiff sd = scope.sd();
        int tokens = features.grid().tokens();
        SDVariable values = interaction.values();
        if (settings.gamma() == null) {
            return layers.weightedSum(sd, interaction.weights(), values, settings.heads(), tokens, settings.dim());
        }
        double gamma = settings.gamma();
        // The reference takes m over the whole batch tensor, which couples samples; per sample is the default.
        SDVariable minimum = settings.batchMinimum() ? values.min() : values.min(true, 1, 2); // [] or [B, 1, 1]
        SDVariable shifted = values.sub(minimum).add(settings.eps()); // > 0, so the power is defined
        SDVariable powered = sd.math.pow(shifted, gamma);
        SDVariable mean = layers.weightedSum(sd, interaction.weights(), powered, settings.heads(), tokens,
                settings.dim());
        SDVariable pooled = sd.math.pow(mean, 1.0 / gamma);
        if (settings.beta()) {
            pooled = pooled.add(scope.parameter("beta", scope.init().zeros(1)));
        }
        return pooled;
    }
}

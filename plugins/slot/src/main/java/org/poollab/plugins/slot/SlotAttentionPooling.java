package org.poollab.plugins.slot;

import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.pf4j.Extension;
import org.poollab.api.backbone.Features;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.ParamSpec;
import org.poollab.api.param.Params;
import org.poollab.api.pooling.Pooling;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.api.pooling.PoolingResult;
import org.poollab.api.pooling.TokenOrder;

/**
 * Slot attention (Locatello et al.; docs/method.md §4) as a pooling: S slots compete for the (normalised) tokens over T
 * iterations — attention softmax-normalised over the slots, then renormalised over the tokens into weighted means,
 * each slot updated by a GRU and a residual ReLU MLP — and the output is the channel-wise max over the slots. The
 * map is the last iteration's token weights averaged over slots. Deviation: the slots start from S learned vectors
 * instead of samples of one learned Gaussian, so the pooling is deterministic (as at evaluation in the paper).
 */
@Extension
public final class SlotAttentionPooling implements Pooling {

    /** Added to the attention before renormalising over the tokens (as in the paper). */
    private static final double ATTENTION_EPS = 1e-8;
    private static final double LN_EPS = 1e-6;

    private final Layers layers;

    /** @param layers shared graph building blocks */
    @Inject
    public SlotAttentionPooling(Layers layers) {
        this.layers = layers;
    }

    @Override
    public String id() {
        return "slot";
    }

    @Override
    public String description() {
        return "Slot attention: S slots, T iterations of softmax-over-slots attention with GRU + MLP updates; "
                + "output = max over slots; map = token weights averaged over slots.";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.intParam("slots", 4, "number of slots S").min(1).max(64),
                ParamSpec.intParam("iterations", 3, "attention iterations T").min(1).max(20),
                ParamSpec.doubleParam("mlpRatio", 2.0, "hidden width of the slot MLP / d").min(0.25));
    }

    @Override
    public PoolingModule create(Params params, int dim) {
        int slots = params.getInt("slots");
        int iterations = params.getInt("iterations");
        int hidden = (int) Math.round(params.getDouble("mlpRatio") * dim);
        return (scope, features) -> pool(scope, features, slots, iterations, hidden);
    }

    /** tokens {@code [B, N, d]} -> {@code [B, d]}; map {@code [B, N]}. */
    private PoolingResult pool(GraphScope scope, Features features, int slots, int iterations, int hidden) {
        SameDiff sd = scope.sd();
        int n = features.grid().tokens();
        int d = features.dim();
        SDVariable inputs = layers.layerNorm(scope, "norm_inputs", features.tokens(), 3, d, LN_EPS);
        SDVariable keys = layers.linearTokens(scope, "k", inputs, n, d, d, false); // [B, N, d]
        SDVariable values = layers.linearTokens(scope, "v", inputs, n, d, d, false); // [B, N, d]
        SDVariable start = scope.parameter("slots_init", scope.init().truncatedNormal(Layers.WEIGHT_STD, 1, slots, d));
        SDVariable state = layers.repeatPerImage(sd, start, keys); // [B, S, d]
        SDVariable weights = null;
        for (int t = 0; t < iterations; t++) {
            SDVariable queries = layers.linearTokens(scope, "q", layers.layerNorm(scope, "norm_slots", state, 3, d,
                    LN_EPS), slots, d, d, false); // [B, S, d]
            SDVariable logits = sd.mmul(keys, queries, false, true, false).mul(1.0 / Math.sqrt(d)); // [B, N, S]
            SDVariable attention = layers.softmax(sd, logits, 2).add(ATTENTION_EPS);
            weights = attention.mul(attention.sum(true, 1).rdiv(1.0)); // each slot's column sums to 1 over N
            SDVariable updates = sd.mmul(weights, values, true, false, false); // [B, S, d]
            state = gru(scope.child("gru"), updates.reshape(-1, d), state.reshape(-1, d), d).reshape(-1, slots, d);
            state = state.add(mlp(scope, layers.layerNorm(scope, "norm_mlp", state, 3, d, LN_EPS), slots, d,
                    hidden));
        }
        SDVariable pooled = state.max(1); // [B, d]
        return new PoolingResult(pooled, Optional.of(weights.mean(2)));
    }

    /**
     * A GRU cell: {@code r = s(x Wir + h Whr)}, {@code z = s(x Wiz + h Whz)}, {@code n = tanh(x Win + r (h Whn))},
     * {@code h' = (1 - z) n + z h} (every map with a bias).
     *
     * @param x {@code [M, d]}
     * @param h {@code [M, d]}
     * @return {@code [M, d]}
     */
    private SDVariable gru(GraphScope scope, SDVariable x, SDVariable h, int d) {
        SameDiff sd = scope.sd();
        SDVariable reset = sd.nn.sigmoid(layers.linear(scope, "ir", x, d, d, true)
                .add(layers.linear(scope, "hr", h, d, d, true)));
        SDVariable update = sd.nn.sigmoid(layers.linear(scope, "iz", x, d, d, true)
                .add(layers.linear(scope, "hz", h, d, d, true)));
        SDVariable candidate = sd.math.tanh(layers.linear(scope, "in", x, d, d, true)
                .add(reset.mul(layers.linear(scope, "hn", h, d, d, true))));
        return update.rsub(1.0).mul(candidate).add(update.mul(h));
    }

    /** ReLU MLP {@code [B, S, d] -> [B, S, d]}. */
    private SDVariable mlp(GraphScope scope, SDVariable x, int slots, int d, int hidden) {
        SDVariable h = scope.sd().nn.relu(layers.linearTokens(scope, "mlp.0", x, slots, d, hidden, true), 0);
        return layers.linearTokens(scope, "mlp.2", h, slots, hidden, d, true);
    }

    @Override
    public TokenOrder tokenOrder() {
        return TokenOrder.INVARIANT;
    }
}

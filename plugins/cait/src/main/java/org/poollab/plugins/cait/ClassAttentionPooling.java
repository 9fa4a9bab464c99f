package org.poollab.plugins.cait;

import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.pf4j.Extension;
import org.poollab.api.backbone.Features;
import org.poollab.api.graph.ClassAttention;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.ParamSpec;
import org.poollab.api.param.Params;
import org.poollab.api.pooling.Pooling;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.api.pooling.PoolingResult;
import org.poollab.api.pooling.TokenOrder;

/**
 * CaiT's class attention as a pooling (docs/method.md §4): a learned class token passes through k blocks
 * {@code c += g1 * CA(LN1(c), LN1(X))}, {@code c += g2 * MLP(LN2(c))} while the tokens X stay frozen; LayerScale
 * gains g start at {@code layerScale} (CaiT: 0.1 for shallow stacks). The map is the last block's attention.
 */
@Extension
public final class ClassAttentionPooling implements Pooling {

    private static final double LN_EPS = 1e-6;

    private final Layers layers;

    /** @param layers shared graph building blocks */
    @Inject
    public ClassAttentionPooling(Layers layers) {
        this.layers = layers;
    }

    @Override
    public String id() {
        return "cait";
    }

    @Override
    public String description() {
        return "CaiT class attention: a learned class token attends to the frozen tokens for k blocks.";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.intParam("blocks", 1, "class-attention blocks k").min(1).max(12),
                ParamSpec.intParam("heads", 4, "attention heads (must divide d)").min(1),
                ParamSpec.doubleParam("mlpRatio", 4.0, "MLP hidden width / d").min(0.25),
                ParamSpec.doubleParam("layerScale", 0.1, "initial LayerScale gain").min(0).max(1));
    }

    @Override
    public PoolingModule create(Params params, int dim) {
        int heads = params.getIntDividing("heads", dim);
        Settings settings = new Settings(params.getInt("blocks"), heads,
                (int) Math.round(dim * params.getDouble("mlpRatio")), params.getDouble("layerScale"));
        return (scope, features) -> pool(scope, features, settings);
    }

    private record Settings(int blocks, int heads, int hidden, double layerScale) {
    }

    /** tokens {@code [B, N, d]} -> {@code [B, d]}, map {@code [B, N]}. */
    private PoolingResult pool(GraphScope scope, Features features, Settings settings) {
        int dim = features.dim();
        int n = features.grid().tokens();
        SDVariable token = scope.parameter("cls_token", scope.init().truncatedNormal(Layers.WEIGHT_STD, 1, dim));
        SDVariable cls = layers.repeatPerImage(scope.sd(), token, features.tokens()); // [B, d]
        SDVariable map = null;
        for (int i = 0; i < settings.blocks(); i++) {
            GraphScope block = scope.child("blocks." + i);
            SDVariable normedCls = layers.layerNorm(block, "norm1", cls, 2, dim, LN_EPS);
            SDVariable normedTokens = layers.layerNorm(block, "norm1", features.tokens(), 3, dim, LN_EPS);
            ClassAttention.Result attended = new ClassAttention(layers).apply(block.child("attn"), normedCls,
                    normedTokens, n, dim, settings.heads(), true);
            cls = cls.add(attended.output().mul(gain(block, "gamma1", dim, settings.layerScale())));
            SDVariable hidden = layers.gelu(scope.sd(), layers.linear(block, "mlp.fc1",
                    layers.layerNorm(block, "norm2", cls, 2, dim, LN_EPS), dim, settings.hidden(), true));
            SDVariable mlp = layers.linear(block, "mlp.fc2", hidden, settings.hidden(), dim, true);
            cls = cls.add(mlp.mul(gain(block, "gamma2", dim, settings.layerScale())));
            map = attended.map();
        }
        return new PoolingResult(cls, Optional.of(map));
    }

    private static SDVariable gain(GraphScope scope, String name, int dim, double initial) {
        return scope.parameter(name, scope.init().constant(initial, dim));
    }

    @Override
    public TokenOrder tokenOrder() {
        return TokenOrder.INVARIANT;
    }
}

package org.poollab.plugins.vitpool;

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
 * ViT-style pooling (docs/method.md §4): a learned token prepended to the tokens, one multi-head self-attention layer,
 * and the token's output row as the pooled vector; the map is its attention to the tokens.
 */
@Extension
public final class VitPooling implements Pooling {

    private final Layers layers;

    /** @param layers shared graph building blocks */
    @Inject
    public VitPooling(Layers layers) {
        this.layers = layers;
    }

    @Override
    public String id() {
        return "vit-pool";
    }

    @Override
    public String description() {
        return "One multi-head self-attention layer over [learned token; tokens]; output = the token's row.";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.intParam("heads", 8, "attention heads (must divide d)").min(1),
                ParamSpec.boolParam("qkvBias", true, "biases in the query/key/value maps"));
    }

    @Override
    public PoolingModule create(Params params, int dim) {
        int heads = params.getIntDividing("heads", dim);
        boolean bias = params.getBoolean("qkvBias");
        return (scope, features) -> pool(scope, features, heads, bias);
    }

    /** tokens {@code [B, N, d]} -> {@code [B, d]}, map {@code [B, N]}. */
    private PoolingResult pool(GraphScope scope, Features features, int heads, boolean bias) {
        int dim = features.dim();
        SDVariable token = scope.parameter("token", scope.init().truncatedNormal(Layers.WEIGHT_STD, 1, dim));
        SDVariable query = layers.repeatPerImage(scope.sd(), token, features.tokens()); // [B, d]
        ClassAttention.Result attended = new ClassAttention(layers).apply(scope.child("attn"), query,
                features.tokens(), features.grid().tokens(), dim, heads, bias);
        return new PoolingResult(attended.output(), Optional.of(attended.map()));
    }

    @Override
    public TokenOrder tokenOrder() {
        return TokenOrder.INVARIANT;
    }
}

package org.poollab.plugins.max;

import java.util.List;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.pf4j.Extension;
import org.poollab.api.backbone.Features;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.param.ParamSpec;
import org.poollab.api.param.Params;
import org.poollab.api.pooling.Pooling;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.api.pooling.PoolingResult;
import org.poollab.api.pooling.TokenOrder;

/**
 * Global max pooling (docs/method.md §4): the channel-wise maximum over tokens. This is the README's "write your own
 * pooling" example: one class, one pom, one test, and nothing in the framework changes.
 */
@Extension
public final class GlobalMaxPooling implements Pooling {

    @Override
    public String id() {
        return "max";
    }

    @Override
    public String description() {
        return "Global max pooling: channel-wise max over tokens; map = share of channels won by each token.";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of();
    }

    @Override
    public PoolingModule create(Params params, int dim) {
        return (scope, features) -> pool(scope, features);
    }

    /** tokens {@code [B, N, d]} -> pooled {@code [B, d]}, map {@code [B, N]} (argmax histogram). */
    private static PoolingResult pool(GraphScope scope, Features features) {
        SDVariable tokens = features.tokens();
        SDVariable pooled = tokens.max(1); // [B, N, d] -> [B, d]
        // A token's share of the channels whose maximum it holds; ties share. Carries no gradient.
        SDVariable winners = scope.sd().eq(tokens, tokens.max(true, 1)).castTo(scope.dataType()); // [B, N, d]
        SDVariable counts = winners.sum(2); // [B, N]
        return new PoolingResult(pooled, Optional.of(counts.div(counts.sum(true, 1))));
    }

    @Override
    public TokenOrder tokenOrder() {
        return TokenOrder.INVARIANT;
    }
}

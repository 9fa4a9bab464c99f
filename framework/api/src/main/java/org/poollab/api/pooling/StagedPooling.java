package org.poollab.api.pooling;

import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.poollab.api.backbone.Features;
import org.poollab.api.graph.GraphScope;

/**
 * A pooling written as the three steps of the generic pooling framework (docs/method.md §2, paper §3): initial
 * representation, interaction, aggregation. The attention map is the interaction's weights averaged over heads.
 */
public abstract class StagedPooling implements PoolingModule {

    @Override
    public final PoolingResult pool(GraphScope scope, Features features) {
        SDVariable initial = initialRepresentation(scope, features);
        Interaction interaction = interact(scope, features, initial);
        SDVariable pooled = aggregate(scope, features, interaction);
        SDVariable map = interaction.weights().mean(1); // [B, H, N] -> [B, N]
        return new PoolingResult(pooled, Optional.of(map));
    }

    /**
     * Step 1: the initial representation {@code u0}.
     *
     * @return {@code [B, d]}
     */
    protected abstract SDVariable initialRepresentation(GraphScope scope, Features features);

    /**
     * Step 2: attention weights over the tokens from {@code u0} and the tokens.
     *
     * @param initial {@code u0}, {@code [B, d]}
     * @return weights {@code [B, H, N]} and values {@code [B, N, d]}
     */
    protected abstract Interaction interact(GraphScope scope, Features features, SDVariable initial);

    /**
     * Step 3: aggregation of the values with the weights.
     *
     * @return the pooled vector {@code [B, d]}
     */
    protected abstract SDVariable aggregate(GraphScope scope, Features features, Interaction interaction);
}

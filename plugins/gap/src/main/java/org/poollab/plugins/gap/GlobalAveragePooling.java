package org.poollab.plugins.gap;

import jakarta.inject.Inject;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.pf4j.Extension;
import org.poollab.api.backbone.Features;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.ParamSpec;
import org.poollab.api.param.Params;
import org.poollab.api.pooling.Interaction;
import org.poollab.api.pooling.Pooling;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.api.pooling.StagedPooling;
import org.poollab.api.pooling.TokenOrder;

/** Global average pooling: uniform weights over the tokens (docs/method.md §4, the baseline of every comparison). */
@Extension
public final class GlobalAveragePooling implements Pooling {

    private final Layers layers;

    /** @param layers shared graph building blocks */
    @Inject
    public GlobalAveragePooling(Layers layers) {
        this.layers = layers;
    }

    @Override
    public String id() {
        return "gap";
    }

    @Override
    public String description() {
        return "Global average pooling: the mean of the tokens; its attention map is uniform.";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of();
    }

    @Override
    public PoolingModule create(Params params, int dim) {
        return new Module();
    }

    private final class Module extends StagedPooling {

        @Override
        protected SDVariable initialRepresentation(GraphScope scope, Features features) {
            return layers.tokenMean(features.tokens());
        }

        @Override
        protected Interaction interact(GraphScope scope, Features features, SDVariable initial) {
            int tokens = features.grid().tokens();
            // [B, N, d] -> [B, 1, N], every entry 1/N; derived from the tokens only for its dynamic batch size.
            SDVariable uniform = scope.sd().zerosLike(features.tokens().mean(true, 2)).add(1.0 / tokens);
            return new Interaction(scope.sd().permute(uniform, 0, 2, 1), 1, features.tokens());
        }

        @Override
        protected SDVariable aggregate(GraphScope scope, Features features, Interaction interaction) {
            // The weighted mean with uniform weights is the token mean computed in step 1.
            return layers.tokenMean(interaction.values());
        }
    }

    @Override
    public TokenOrder tokenOrder() {
        return TokenOrder.INVARIANT;
    }
}

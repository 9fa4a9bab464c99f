package org.poollab.plugins.cls;

import java.util.List;
import org.pf4j.Extension;
import org.poollab.api.backbone.Features;
import org.poollab.api.backbone.PrefixOutput;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.param.ParamSpec;
import org.poollab.api.param.Params;
import org.poollab.api.pooling.Pooling;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.api.pooling.PoolingResult;
import org.poollab.api.pooling.TokenOrder;

/**
 * The ViT [CLS] token as a pooling (docs/method.md §4): asks the backbone for a learned prefix token and returns its
 * final state; the map is that token's last-block attention to the patches (heads averaged, and per head).
 */
@Extension
public final class ClassTokenPooling implements Pooling {

    /** The name of the prefix token this pooling asks the backbone for. */
    static final String TOKEN = "cls";

    @Override
    public String id() {
        return "cls";
    }

    @Override
    public String description() {
        return "ViT [CLS] token: a learned prefix token's final state; map = its last-block attention.";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of();
    }

    @Override
    public PoolingModule create(Params params, int dim) {
        return new PoolingModule() {
            @Override
            public List<String> prefixTokens() {
                return List.of(TOKEN);
            }

            @Override
            public PoolingResult pool(GraphScope scope, Features features) {
                PrefixOutput token = features.prefix(TOKEN);
                return new PoolingResult(token.state(), token.attention(), token.headAttention());
            }
        };
    }

    @Override
    public TokenOrder tokenOrder() {
        return TokenOrder.INVARIANT;
    }
}

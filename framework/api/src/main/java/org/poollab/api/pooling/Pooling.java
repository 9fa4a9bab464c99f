package org.poollab.api.pooling;

import org.pf4j.ExtensionPoint;
import org.poollab.api.Component;
import org.poollab.api.param.Params;

/**
 * Extension point for pooling methods: tokens {@code [B, N, d]} to a vector {@code [B, d]} plus an optional
 * attention map {@code [B, N]}. One {@code @Extension} class per method; it is created by the host's injector,
 * so its constructor may {@code @Inject} framework services such as {@link org.poollab.api.graph.Layers}.
 * Multi-step methods usually extend {@link StagedPooling}.
 */
public interface Pooling extends ExtensionPoint, Component {

    /**
     * Configures the pooling for features of width {@code dim}.
     *
     * @param params validated parameters
     * @param dim d, the feature width of the backbone
     */
    PoolingModule create(Params params, int dim);

    /**
     * How the pooled vector depends on the order of the tokens; the contract test checks the declaration.
     * Override it: {@link TokenOrder#UNDECLARED} leaves that rule unchecked.
     */
    default TokenOrder tokenOrder() {
        return TokenOrder.UNDECLARED;
    }
}

package org.poollab.api.pooling;

import java.util.List;
import org.poollab.api.backbone.Features;
import org.poollab.api.graph.GraphScope;

/** A configured pooling that adds itself to a graph. */
public interface PoolingModule {

    /**
     * Learned tokens this pooling needs the backbone to prepend (the {@code cls} pooling asks for one). The host
     * refuses the combination, naming both ids, when the backbone cannot provide them.
     */
    default List<String> prefixTokens() {
        return List.of();
    }

    /**
     * The width of the pooled vector for backbone features of width {@code featureDim}. Most poolings keep it;
     * a pooling that changes it (a dimension reduction, one embedding per reference) gets no backbone final norm.
     */
    default int outputDim(int featureDim) {
        return featureDim;
    }

    /**
     * Pools the backbone's tokens.
     *
     * @param scope where to create this pooling's parameters
     * @param features tokens {@code [B, N, d]} with their grid and any requested prefix outputs
     * @return pooled {@code [B, outputDim(d)]} and the attention map {@code [B, N]} when the method has one
     */
    PoolingResult pool(GraphScope scope, Features features);
}

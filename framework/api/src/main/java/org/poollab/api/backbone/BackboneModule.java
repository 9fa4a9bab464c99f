package org.poollab.api.backbone;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.poollab.api.graph.GraphScope;

/** A configured backbone that adds its layers to a graph. */
public interface BackboneModule {

    /** The feature width d of the tokens it returns. */
    int featureDim();

    /** Whether {@link #forward} can prepend learned prefix tokens (ViT yes, CNNs no). */
    boolean supportsPrefixTokens();

    /**
     * Adds the backbone to the graph.
     *
     * @param scope where to create parameters
     * @param images {@code [B, C, H, W]}
     * @param input the shape of one image ({@code C, H, W}); may differ from the configured base size (crops)
     * @param prefixTokens names of learned tokens to prepend, as asked for by the pooling (empty for most)
     * @return tokens {@code [B, N, d]}, grid, prefix outputs and the final norm
     */
    Features forward(GraphScope scope, SDVariable images, ImageShape input, List<String> prefixTokens);
}

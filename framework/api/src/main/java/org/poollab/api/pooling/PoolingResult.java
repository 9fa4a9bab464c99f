package org.poollab.api.pooling;

import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A pooling's output.
 *
 * @param pooled the pooled vector, {@code [B, d']} with {@code d' = PoolingModule.outputDim(d)}
 * @param attention the spatial attention map, {@code [B, N]}, non-negative and summing to 1 over N; empty for
 *                  methods without one
 * @param headAttention per-head maps {@code [B, H, N]}, each non-negative and summing to 1 over N, for methods
 *                      whose map averages several heads (the [CLS] token's last-block attention); else empty
 */
public record PoolingResult(SDVariable pooled, Optional<SDVariable> attention, Optional<SDVariable> headAttention) {

    /** Without per-head maps. */
    public PoolingResult(SDVariable pooled, Optional<SDVariable> attention) {
        this(pooled, attention, Optional.empty());
    }
}

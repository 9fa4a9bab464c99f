package org.poollab.api.pooling;

import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A pooling's output.
 *
 * @param pooled the pooled vector, {@code [B, d']} with {@code d' = PoolingModule.outputDim(d)}
 * @param attention the spatial attention map, {@code [B, N]}, non-negative and summing to 1 over N; empty for
 *                  methods without one
 */
public record PoolingResult(SDVariable pooled, Optional<SDVariable> attention) {
}

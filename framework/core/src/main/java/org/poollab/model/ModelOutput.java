package org.poollab.model;

import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.poollab.api.backbone.Grid;

/**
 * Backbone + pooling + final norm on one image input.
 *
 * @param features the normalised pooled features {@code [B, d]}
 * @param attention the pooling's attention map {@code [B, N]}, if it has one
 * @param headAttention the per-head maps {@code [B, H, N]}, if the pooling has them
 * @param grid the token grid of this input (N = height x width)
 */
public record ModelOutput(SDVariable features, Optional<SDVariable> attention, Optional<SDVariable> headAttention,
                          Grid grid) {
}

package org.poollab.api.backbone;

import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * What a backbone returns for a prefix token that a pooling asked for (how {@code cls} works).
 *
 * @param state the token's final state before the backbone's final norm, {@code [B, d]}
 * @param attention its last-block attention to the patch tokens, heads averaged, renormalised to sum to 1,
 *                  {@code [B, N]}; empty if the backbone has no attention
 * @param headAttention the same per head, each renormalised to sum to 1, {@code [B, H, N]}; empty if none
 */
public record PrefixOutput(SDVariable state, Optional<SDVariable> attention, Optional<SDVariable> headAttention) {

    /** Without per-head maps. */
    public PrefixOutput(SDVariable state, Optional<SDVariable> attention) {
        this(state, attention, Optional.empty());
    }
}

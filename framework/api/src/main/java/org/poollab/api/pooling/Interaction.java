package org.poollab.api.pooling;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The result of step 2 of the generic pooling framework (docs/method.md §2): attention weights over tokens, per head,
 * and the values that step 3 aggregates with them. Head {@code h} aggregates channels {@code [h*d/H, (h+1)*d/H)}.
 *
 * @param weights {@code a}, {@code [B, H, N]}, non-negative and summing to 1 over N
 * @param heads H, at least 1
 * @param values the tokens as seen by the aggregation, {@code [B, N, d]} (raw tokens, or normalised ones for
 *               SimPool)
 */
public record Interaction(SDVariable weights, int heads, SDVariable values) {
}

package org.poollab.api.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Multi-head attention of one query token per image over {@code [query; tokens]} (the query attends to itself and
 * to the N tokens), as in a ViT's [CLS] row or CaiT's class attention. Queries, keys and values are linear maps
 * {@code q}, {@code k}, {@code v} of width d, followed by the output map {@code proj}. Written without slicing
 * (slice gradients fail in SameDiff M2.1): the query's own score is computed apart and joins the softmax.
 */
public final class ClassAttention {

    /**
     * @param output the attended query {@code [B, d]}
     * @param map attention over the N tokens only, renormalised and averaged over heads {@code [B, N]}
     */
    public record Result(SDVariable output, SDVariable map) {
    }

    private final Layers layers;

    /** @param layers linear layers and per-head sums */
    public ClassAttention(Layers layers) {
        this.layers = layers;
    }

    /**
     * @param query {@code [B, d]}
     * @param tokens {@code [B, N, d]}
     * @param heads H, dividing d
     * @param bias whether q, k, v have biases
     */
    public Result apply(GraphScope scope, SDVariable query, SDVariable tokens, int tokenCount, int dim, int heads,
                        boolean bias) {
        SameDiff sd = scope.sd();
        int headDim = dim / heads;
        double scale = 1.0 / Math.sqrt(headDim);
        SDVariable q = layers.linear(scope, "q", query, dim, dim, bias).reshape(-1, heads, 1, headDim);
        SDVariable selfKey = layers.linear(scope, "k", query, dim, dim, bias).reshape(-1, heads, 1, headDim);
        SDVariable selfValue = layers.linear(scope, "v", query, dim, dim, bias).reshape(-1, heads, headDim);
        SDVariable keys = sd.permute(layers.linearTokens(scope, "k", tokens, tokenCount, dim, dim, bias)
                .reshape(-1, tokenCount, heads, headDim), 0, 2, 1, 3); // [B, H, N, dh]
        SDVariable values = layers.linearTokens(scope, "v", tokens, tokenCount, dim, dim, bias); // [B, N, d]

        SDVariable tokenScores = sd.mmul(q, keys, false, true, false).reshape(-1, heads, tokenCount).mul(scale);
        SDVariable selfScore = q.mul(selfKey).sum(3).mul(scale); // [B, H, 1]
        SDVariable shift = tokenScores.max(true, 2); // any shift cancels; this one keeps exp finite
        SDVariable tokenExp = sd.math.exp(tokenScores.sub(shift)); // [B, H, N]
        SDVariable selfExp = sd.math.exp(selfScore.sub(shift)); // [B, H, 1]
        SDVariable tokenMass = tokenExp.sum(true, 2);
        SDVariable total = tokenMass.add(selfExp);
        SDVariable mixed = layers.weightedSum(sd, tokenExp.div(total), values, heads, tokenCount, dim)
                .add(selfValue.mul(selfExp.div(total)).reshape(-1, dim)); // [B, d]
        SDVariable output = layers.linear(scope, "proj", mixed, dim, dim, true);
        return new Result(output, tokenExp.div(tokenMass).mean(1));
    }
}

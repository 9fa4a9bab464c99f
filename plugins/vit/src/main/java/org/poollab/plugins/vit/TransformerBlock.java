package org.poollab.plugins.vit;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;

/** One pre-norm transformer block: {@code x + DropPath(MHSA(LN(x)))}, then {@code x + DropPath(MLP(LN(x)))}. */
final class TransformerBlock {

    /**
     * The block's output and its attention probabilities.
     *
     * @param tokens {@code [B, T, d]}
     * @param attention {@code [B, H, T, T]}, rows sum to 1
     */
    record Output(SDVariable tokens, SDVariable attention) {
    }

    /** Parameter scopes of the MLP: LN, then {@code fc1 -> GELU -> fc2}. */
    private static final Layers.MlpNames MLP = new Layers.MlpNames("norm2", "mlp/fc1", "mlp/fc2");

    private final Layers layers;
    private final VitSettings settings;

    TransformerBlock(Layers layers, VitSettings settings) {
        this.layers = layers;
        this.settings = settings;
    }

    /**
     * @param x {@code [B, T, d]} with T = prefix + patch tokens
     * @param tokens T
     * @param index the block's position (sets its stochastic depth rate)
     */
    Output apply(GraphScope scope, SDVariable x, int tokens, int index) {
        int dim = settings.dim();
        double eps = settings.lnEps();
        double drop = settings.dropPathOf(index);
        SDVariable qkv = layers.normalisedLinearTokens(scope, "norm1", "attn/qkv", x, tokens, dim, 3 * dim,
                settings.qkvBias(), eps); // [B, T, 3d]
        Output attention = attention(scope.child("attn"), qkv, tokens);
        SDVariable afterAttention = x.add(dropPath(scope, "keep1", attention.tokens(), drop));
        SDVariable mlp = layers.normalisedMlp(scope, MLP, afterAttention, tokens, dim, settings.hidden(), eps, null);
        return new Output(afterAttention.add(dropPath(scope, "keep2", mlp, drop)), attention.attention());
    }

    /**
     * Multi-head self-attention after the query-key-value projection.
     *
     * @param qkv {@code [B, T, 3d]}
     * @return the mixed tokens {@code [B, T, d]} and the attention probabilities
     */
    private Output attention(GraphScope scope, SDVariable qkv, int tokens) {
        SameDiff sd = scope.sd();
        int dim = settings.dim();
        int heads = settings.heads();
        int headDim = dim / heads;
        SDVariable split = sd.permute(qkv.reshape(-1, tokens, 3, heads, headDim), 2, 0, 3, 1, 4); // [3,B,H,T,dh]
        SDVariable[] qkvParts = sd.unstack(split, 0, 3); // 3 x [B, H, T, dh]
        SDVariable q = qkvParts[0];
        SDVariable k = qkvParts[1];
        SDVariable v = qkvParts[2];
        SDVariable scores = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(headDim)); // [B, H, T, T]
        SDVariable probabilities = layers.softmax(sd, scores, 3);
        SDVariable mixed = sd.mmul(probabilities, v); // [B, H, T, dh]
        SDVariable merged = sd.permute(mixed, 0, 2, 1, 3).reshape(-1, tokens, dim); // [B, T, d]
        return new Output(layers.linearTokens(scope, "proj", merged, tokens, dim, dim, true), probabilities);
    }

    /** Stochastic depth: drops the whole residual branch per sample during training (mask fed per step). */
    private static SDVariable dropPath(GraphScope scope, String name, SDVariable branch, double rate) {
        SDVariable keep = scope.keepMask(name, rate, 3);
        return keep == null ? branch : branch.mul(keep);
    }
}

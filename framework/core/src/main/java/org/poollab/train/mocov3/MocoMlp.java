package org.poollab.train.mocov3;

import org.nd4j.autodiff.samediff.SDVariable;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;

/**
 * MoCo v3's projection and prediction MLPs (the reference's {@code _build_mlp}): linear layers without bias, batch
 * norm and ReLU between them, and a batch norm without affine parameters after the last. Batch norm uses the batch's
 * statistics while training (both encoders run in training mode, as in the reference).
 */
final class MocoMlp {

    /** PyTorch's BatchNorm1d defaults. */
    private static final double BN_EPS = 1e-5;
    private static final double BN_MOMENTUM = 0.1;

    private final Layers layers;
    private final int depth;
    private final int hidden;
    private final int out;

    /**
     * @param depth linear layers
     * @param hidden width of the hidden layers
     * @param out width of the output
     */
    MocoMlp(Layers layers, int depth, int hidden, int out) {
        this.layers = layers;
        this.depth = depth;
        this.hidden = hidden;
        this.out = out;
    }

    /**
     * Applies the MLP; called twice in one scope (the two views) it reuses the parameters, and each call's batch
     * norm normalises with its own view's statistics.
     *
     * @param x {@code [B, in]}
     * @return {@code [B, out]}
     */
    SDVariable apply(GraphScope scope, SDVariable x, int in) {
        SDVariable h = x;
        int width = in;
        for (int i = 0; i < depth; i++) {
            boolean last = i == depth - 1;
            int next = last ? out : hidden;
            h = layers.linear(scope, "fc" + i, h, width, next, false);
            SDVariable map = layers.batchNorm(scope, "bn" + i, h.reshape(-1, next, 1, 1), next, BN_EPS, BN_MOMENTUM,
                    !last); // [B, c, 1, 1]: batch norm over the batch alone
            h = map.reshape(-1, next);
            if (!last) {
                h = scope.sd().nn.relu(h, 0);
            }
            width = next;
        }
        return h;
    }

    /** The output width. */
    int out() {
        return out;
    }
}

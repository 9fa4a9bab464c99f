package org.poollab.train.mocov3;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * MoCo v3's symmetric contrastive loss: {@code ctr(q1, k2) + ctr(q2, k1)}, where {@code ctr(q, k)} is the softmax
 * cross-entropy of {@code q k^T / tau} over the batch's keys (L2-normalised vectors; the positive of query i is key
 * i, the other keys of the batch are its negatives, no queue), multiplied by {@code 2 tau} as the reference does.
 */
final class ContrastiveLoss {

    /** F.normalize's floor on the norm. */
    private static final double NORM_EPS = 1e-12;

    private ContrastiveLoss() {
    }

    /**
     * Each image's share of the loss: the batch mean of this is {@code ctr(q1, k2) + ctr(q2, k1)}.
     *
     * @param q1 queries of view 1 {@code [B, D]} (base encoder + predictor)
     * @param q2 queries of view 2 {@code [B, D]}
     * @param k1 keys of view 1 {@code [B, D]} (momentum encoder, no gradient)
     * @param k2 keys of view 2 {@code [B, D]}
     * @return {@code [B]}
     */
    static SDVariable perImage(SameDiff sd, SDVariable q1, SDVariable q2, SDVariable k1, SDVariable k2,
                               double temperature) {
        return crossEntropy(sd, q1, k2, temperature).add(crossEntropy(sd, q2, k1, temperature))
                .mul(2 * temperature);
    }

    /**
     * {@code -log softmax_j(q_i . k_j / tau)[i]} per query, as {@code logsumexp_j(l_ij) - l_ii}.
     *
     * @param q {@code [B, D]}
     * @param k {@code [B, D]}
     * @return {@code [B]}
     */
    private static SDVariable crossEntropy(SameDiff sd, SDVariable q, SDVariable k, double temperature) {
        SDVariable qn = normalised(sd, q);
        SDVariable kn = normalised(sd, k);
        SDVariable logits = sd.mmul(qn, kn, false, true, false).div(temperature); // [B, B]
        SDVariable max = logits.max(true, 1); // [B, 1], for a stable log-sum-exp
        SDVariable logSumExp = sd.math.log(sd.math.exp(logits.sub(max)).sum(true, 1)).add(max); // [B, 1]
        SDVariable positive = qn.mul(kn).sum(true, 1).div(temperature); // the diagonal l_ii, [B, 1]
        return logSumExp.sub(positive).reshape(-1);
    }

    /** Rows divided by their L2 norm (at least {@value #NORM_EPS}). */
    static SDVariable normalised(SameDiff sd, SDVariable x) {
        SDVariable norm = sd.math.sqrt(x.mul(x).sum(true, 1));
        return x.div(sd.scalarMax(norm, NORM_EPS));
    }
}

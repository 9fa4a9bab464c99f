package org.poollab.train.dino;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.poollab.api.graph.Layers;

/**
 * The student side of DINO's loss (docs/method.md §6) as graph ops: with teacher probabilities {@code q_i} of the 2
 * global views and student log-probabilities {@code log p_v = log_softmax(s_v / tau_s)} of all V = 2 + L views,
 * <pre>
 *   loss_b = sum over i in {0,1}, v != i of  -q_i . log p_v  / (2V - 2)
 * </pre>
 * computed without slicing as {@code (-(q_0 + q_1) . sum_v log p_v  +  sum_i q_i . log p_i) / (2V - 2)}.
 * The teacher's probabilities are fed as two placeholders: per view ({@value #TEACHER_VIEWS}, {@code [2B, K]},
 * view-major) and summed over views ({@value #TEACHER_SUM}, {@code [B, K]}).
 */
final class DinoLoss {

    static final String TEACHER_VIEWS = "teacher_views";
    static final String TEACHER_SUM = "teacher_sum";

    private DinoLoss() {
    }

    /**
     * @param globalLogits student logits of the global views {@code [2B, K]}, view-major
     * @param localLogits student logits of the local views {@code [LB, K]}, or {@code null} when L = 0
     * @return the per-image loss {@code [B]}
     */
    static SDVariable perImage(Layers layers, SameDiff sd, SDVariable globalLogits, SDVariable localLogits,
                               int localViews, int outDim, double studentTemp) {
        SDVariable teacherViews = sd.placeHolder(TEACHER_VIEWS, globalLogits.dataType(), -1, outDim);
        SDVariable teacherSum = sd.placeHolder(TEACHER_SUM, globalLogits.dataType(), -1, outDim);
        SDVariable globalLog = layers.logSoftmax(sd, globalLogits.div(studentTemp)); // [2B, K]
        SDVariable allViews = globalLog.reshape(2, -1, outDim).sum(0); // [B, K]
        if (localLogits != null) {
            SDVariable localLog = layers.logSoftmax(sd, localLogits.div(studentTemp));
            allViews = allViews.add(localLog.reshape(localViews, -1, outDim).sum(0));
        }
        SDVariable everyPair = teacherSum.mul(allViews).sum(1).neg(); // [B]
        SDVariable sameView = teacherViews.mul(globalLog).reshape(2, -1, outDim).sum(0).sum(1).neg(); // [B]
        int pairs = 2 * (2 + localViews) - 2;
        return everyPair.sub(sameView).div(pairs);
    }
}

package org.poollab.train.mocov3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ContrastiveLossTest {

    private static final int B = 5;
    private static final int D = 4;
    private static final double TAU = 0.2;

    @Test
    void equalsAPlainJavaComputationOfTheSymmetricLossWithItsTwoTauFactor() {
        double[][][] v = vectors(new Random(1));
        Map<String, INDArray> out = graph(v).output(Map.of(), "loss");
        INDArray perImage = out.get("loss");
        double expectedMean = 0;
        for (int i = 0; i < B; i++) {
            double expected = 2 * TAU * (crossEntropy(v[0], v[3], i) + crossEntropy(v[1], v[2], i));
            assertEquals(expected, perImage.getDouble(i), 1e-12, "image " + i);
            expectedMean += expected / B;
        }
        assertEquals(expectedMean, perImage.meanNumber().doubleValue(), 1e-12);
        // symmetric: swapping the views (q1 <-> q2 together with k1 <-> k2) leaves every image's loss unchanged
        double[][][] swapped = {v[1], v[0], v[3], v[2]};
        assertEquals(perImage, graph(swapped).output(Map.of(), "loss").get("loss"));
    }

    @Test
    void itsGradientWithRespectToTheQueriesMatchesFiniteDifferences() {
        double[][][] v = vectors(new Random(2));
        SameDiff sd = graph(v);
        sd.setLossVariables(sd.getVariable("loss").mean());
        Map<String, INDArray> gradients = sd.calculateGradients(Map.of(), "q1", "q2");
        double h = 1e-6;
        for (int query = 0; query < 2; query++) {
            for (int i = 0; i < B; i++) {
                for (int j = 0; j < D; j++) {
                    double saved = v[query][i][j];
                    v[query][i][j] = saved + h;
                    double plus = meanLoss(v);
                    v[query][i][j] = saved - h;
                    double minus = meanLoss(v);
                    v[query][i][j] = saved;
                    assertEquals((plus - minus) / (2 * h), gradients.get("q" + (query + 1)).getDouble(i, j), 1e-7,
                            "d loss / d q" + (query + 1) + "[" + i + "][" + j + "]");
                }
            }
        }
    }

    @Test
    void queriesThatPointAtTheirOwnKeysCostLessThanRandomOnes() {
        double[][][] v = vectors(new Random(3));
        // k2 = q1 and k1 = q2: every query's positive key is itself, the most similar vector there is
        assertTrue(meanLoss(new double[][][] {v[0], v[1], v[1], v[0]}) < meanLoss(v));
    }

    /** {@code -log softmax_j(q_i . k_j / tau)[i]} of normalised rows, in plain Java. */
    private static double crossEntropy(double[][] q, double[][] k, int i) {
        double[] logits = new double[B];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < B; j++) {
            logits[j] = dot(unit(q[i]), unit(k[j])) / TAU;
            max = Math.max(max, logits[j]);
        }
        double sum = 0;
        for (double logit : logits) {
            sum += Math.exp(logit - max);
        }
        return Math.log(sum) + max - logits[i];
    }

    private static double meanLoss(double[][][] v) {
        return graph(v).output(Map.of(), "loss").get("loss").meanNumber().doubleValue();
    }

    /** q1, q2 as variables (for gradients), k1, k2 as constants; the per-image loss is named "loss". */
    private static SameDiff graph(double[][][] v) {
        SameDiff sd = SameDiff.create();
        SDVariable q1 = sd.var("q1", Nd4j.create(v[0]));
        SDVariable q2 = sd.var("q2", Nd4j.create(v[1]));
        SDVariable k1 = sd.constant("k1", Nd4j.create(v[2]));
        SDVariable k2 = sd.constant("k2", Nd4j.create(v[3]));
        ContrastiveLoss.perImage(sd, q1, q2, k1, k2, TAU).rename("loss");
        return sd;
    }

    private static double[][][] vectors(Random random) {
        double[][][] v = new double[4][B][D];
        for (double[][] matrix : v) {
            for (double[] row : matrix) {
                for (int j = 0; j < D; j++) {
                    row[j] = random.nextGaussian();
                }
            }
        }
        return v;
    }

    private static double[] unit(double[] x) {
        double norm = Math.sqrt(dot(x, x));
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] / norm;
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}

package org.poollab.train.dino;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.poollab.api.graph.Layers;

/** DINO's loss on 3 views (2 global + 1 local), K = 5, against plain double arithmetic, centring included. */
class DinoLossTest {

    private static final int B = 4;
    private static final int K = 5;
    private static final int LOCAL = 1;
    private static final double TAU_S = 0.1;
    private static final double TAU_T = 0.04;

    @Test
    void matchesPlainJavaOverEveryPairOfDifferentViews() {
        Random random = new Random(7);
        double[][][] student = randomLogits(random, 2 + LOCAL); // [view][b][k]
        double[][][] teacher = randomLogits(random, 2);
        double[][] previousTeacher = randomLogits(random, 1)[0];

        TeacherCentre centre = new TeacherCentre(K, 0.9);
        centre.update(toArray(new double[][][] {previousTeacher})); // a non-zero centre: 0.1 * mean of those rows
        double[] c = new double[K];
        for (int k = 0; k < K; k++) {
            for (double[] row : previousTeacher) {
                c[k] += 0.1 * row[k] / B;
            }
        }
        INDArray targets = centre.targets(toArray(teacher), TAU_T);
        double[][][] q = new double[2][B][];
        for (int v = 0; v < 2; v++) {
            for (int b = 0; b < B; b++) {
                double[] shifted = new double[K];
                for (int k = 0; k < K; k++) {
                    shifted[k] = (teacher[v][b][k] - c[k]) / TAU_T;
                }
                q[v][b] = softmax(shifted);
                for (int k = 0; k < K; k++) {
                    assertEquals(q[v][b][k], targets.getDouble(v * B + b, k), 1e-5, "teacher target");
                }
            }
        }

        double expected = 0;
        int pairs = 0;
        for (int t = 0; t < 2; t++) {
            for (int s = 0; s < 2 + LOCAL; s++) {
                if (s == t) {
                    continue; // DINO skips a view paired with itself
                }
                pairs++;
                for (int b = 0; b < B; b++) {
                    double[] scaled = new double[K];
                    for (int k = 0; k < K; k++) {
                        scaled[k] = student[s][b][k] / TAU_S;
                    }
                    double[] p = softmax(scaled);
                    for (int k = 0; k < K; k++) {
                        expected -= q[t][b][k] * Math.log(p[k]) / B;
                    }
                }
            }
        }
        expected /= pairs;

        SameDiff sd = SameDiff.create();
        SDVariable global = sd.placeHolder("g", DataType.FLOAT, -1, K);
        SDVariable local = sd.placeHolder("l", DataType.FLOAT, -1, K);
        SDVariable perImage = DinoLoss.perImage(new Layers(), sd, global, local, LOCAL, K, TAU_S);
        INDArray summed = targets.get(NDArrayIndex.interval(0, B),
                NDArrayIndex.all()).add(targets.get(
                NDArrayIndex.interval(B, 2 * B), NDArrayIndex.all()));
        INDArray out = sd.output(Map.of(
                "g", toArray(new double[][][] {student[0], student[1]}),
                "l", toArray(new double[][][] {student[2]}),
                DinoLoss.TEACHER_VIEWS, targets,
                DinoLoss.TEACHER_SUM, summed), perImage.name()).get(perImage.name());
        assertEquals(B, out.length());
        assertEquals(expected, out.meanNumber().doubleValue(), 1e-4 * Math.abs(expected));
    }

    @Test
    void centreFollowsTheTeacherMeanWithItsMomentum() {
        TeacherCentre centre = new TeacherCentre(2, 0.9);
        centre.update(Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}}));
        centre.update(Nd4j.createFromArray(new float[][] {{0, 0}, {0, 10}}));
        // c1 = 0.1 * (2, 3); c2 = 0.9 c1 + 0.1 * (0, 5)
        assertEquals(0.9 * 0.2, centre.centre().getDouble(0, 0), 1e-6);
        assertEquals(0.9 * 0.3 + 0.5, centre.centre().getDouble(0, 1), 1e-6);
        assertEquals(Math.hypot(0.18, 0.77), centre.norm(), 1e-6);
    }

    @Test
    void entropyOfUniformAndOneHotRows() {
        INDArray rows = Nd4j.createFromArray(new float[][] {{0.25f, 0.25f, 0.25f, 0.25f}, {1, 0, 0, 0}});
        assertEquals(Math.log(4) / 2, TeacherCentre.meanEntropy(rows), 1e-5);
    }

    private static double[][][] randomLogits(Random random, int views) {
        double[][][] out = new double[views][B][K];
        for (double[][] view : out) {
            for (double[] row : view) {
                for (int k = 0; k < K; k++) {
                    row[k] = random.nextGaussian();
                }
            }
        }
        return out;
    }

    /** Views stacked view-major: {@code [V * B, K]}. */
    private static INDArray toArray(double[][][] views) {
        float[][] rows = new float[views.length * B][K];
        for (int v = 0; v < views.length; v++) {
            for (int b = 0; b < views[v].length; b++) {
                for (int k = 0; k < K; k++) {
                    rows[v * B + b][k] = (float) views[v][b][k];
                }
            }
        }
        return Nd4j.createFromArray(rows);
    }

    private static double[] softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.exp(x[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < x.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}

package org.poollab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class KnnEvaluatorTest {

    private static final int CLASSES = 4;

    @Test
    void matchesBruteForceIncludingKLargerThanAChunkAndATinyTestSet() {
        Random random = new Random(1);
        double[][] train = gaussian(random, 300, 6);
        int[] trainLabels = labels(random, 300);
        double[][] test = gaussian(random, 7, 6);
        int[] testLabels = labels(random, 7);
        List<Integer> ks = List.of(1, 10, 20, 100, 200);
        // A budget of 2 rows per chunk: chunks are smaller than k and the last chunk is partial.
        KnnEvaluator knn = new KnnEvaluator(ks, 0.07, 2L * 4 * 300);
        Map<String, Double> metrics = knn.evaluate(Nd4j.create(train), trainLabels, Nd4j.create(test), testLabels,
                CLASSES);
        for (int k : ks) {
            double[] expected = bruteForce(train, trainLabels, test, testLabels, k, 0.07);
            assertEquals(expected[0], metrics.get("knn_top1_k" + k), 1e-9, "top1 k=" + k);
            assertEquals(expected[1], metrics.get("knn_top5_k" + k), 1e-9, "top5 k=" + k);
        }
    }

    @Test
    void separableClustersAreClassifiedPerfectly() {
        Random random = new Random(2);
        double[][] train = new double[200][2];
        int[] trainLabels = new int[200];
        for (int i = 0; i < 200; i++) {
            trainLabels[i] = i % 2;
            double angle = (i % 2 == 0 ? 0 : Math.PI / 2) + 0.1 * random.nextGaussian();
            train[i] = new double[] {Math.cos(angle), Math.sin(angle)};
        }
        INDArray test = Nd4j.create(new double[][] {{1, 0.05}, {0.02, 1}});
        Map<String, Double> metrics = new KnnEvaluator(List.of(20), 0.07, 1 << 20)
                .evaluate(Nd4j.create(train), trainLabels, test, new int[] {0, 1}, 2);
        assertEquals(100.0, metrics.get("knn_top1_k20"), 1e-12);
    }

    @Test
    void aKAboveTheTrainingSetIsNamedByTheKThatVoted() {
        INDArray train = Nd4j.create(new double[][] {{1, 0}, {0, 1}, {1, 0.1}});
        Map<String, Double> metrics = new KnnEvaluator(List.of(2, 200), 0.07, 1 << 20)
                .evaluate(train, new int[] {0, 1, 0}, Nd4j.create(new double[][] {{1, 0}}), new int[] {0}, 2);
        assertEquals(java.util.Set.of("knn_top1_k2", "knn_top5_k2", "knn_top1_k3", "knn_top5_k3"), metrics.keySet(),
                "k = 200 on 3 training images votes with 3 and says so");
    }

    /** Independent k-NN in double precision with a full sort. */
    private static double[] bruteForce(double[][] train, int[] trainLabels, double[][] test, int[] testLabels, int k,
                                       double t) {
        double top1 = 0;
        double top5 = 0;
        for (int q = 0; q < test.length; q++) {
            double[] query = unit(test[q]);
            Integer[] order = new Integer[train.length];
            double[] sims = new double[train.length];
            for (int j = 0; j < train.length; j++) {
                order[j] = j;
                double[] row = unit(train[j]);
                for (int c = 0; c < row.length; c++) {
                    sims[j] += row[c] * query[c];
                }
            }
            Arrays.sort(order, (a, b) -> Double.compare(sims[b], sims[a]));
            double[] votes = new double[CLASSES];
            for (int n = 0; n < Math.min(k, train.length); n++) {
                votes[trainLabels[order[n]]] += Math.exp(sims[order[n]] / t);
            }
            Integer[] classes = {0, 1, 2, 3};
            Arrays.sort(classes, (a, b) -> Double.compare(votes[b], votes[a]));
            top1 += classes[0] == testLabels[q] ? 1 : 0;
            for (int c = 0; c < Math.min(5, k) && c < CLASSES; c++) {
                top5 += classes[c] == testLabels[q] ? 1 : 0;
            }
        }
        return new double[] {100 * top1 / test.length, 100 * top5 / test.length};
    }

    private static double[] unit(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] /= Math.sqrt(norm);
        }
        return out;
    }

    private static double[][] gaussian(Random random, int n, int d) {
        double[][] out = new double[n][d];
        for (double[] row : out) {
            for (int i = 0; i < d; i++) {
                row[i] = random.nextGaussian();
            }
        }
        return out;
    }

    private static int[] labels(Random random, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextInt(CLASSES);
        }
        return out;
    }
}

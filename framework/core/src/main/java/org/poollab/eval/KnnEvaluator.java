package org.poollab.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Weighted k-NN classification of the DINO protocol (docs/method.md §7): L2-normalised features, the k most
 * cosine-similar training samples, votes weighted by {@code exp(sim / T)}; top-1 and top-5 accuracy for several k. The
 * similarity matrix is computed in chunks of test rows that fit a memory budget.
 */
public final class KnnEvaluator {

    private final List<Integer> ks;
    private final double temperature;
    private final long budgetBytes;

    /**
     * @param ks neighbourhood sizes to report
     * @param temperature T
     * @param budgetBytes memory for one chunk of similarities ({@code rows x trainSize} floats)
     */
    public KnnEvaluator(List<Integer> ks, double temperature, long budgetBytes) {
        this.ks = List.copyOf(ks);
        this.temperature = temperature;
        this.budgetBytes = budgetBytes;
    }

    /**
     * @param trainFeatures {@code [Ntrain, d]}
     * @param trainLabels Ntrain labels in {@code [0, classes)}
     * @param testFeatures {@code [Ntest, d]}
     * @param testLabels Ntest labels
     * @return {@code knn_top1_k<k>} and {@code knn_top5_k<k>} in percent, for every k in order; a k above Ntrain
     *         is scored, and named, as k = Ntrain
     */
    public Map<String, Double> evaluate(INDArray trainFeatures, int[] trainLabels, INDArray testFeatures,
                                        int[] testLabels, int classes) {
        INDArray train = normalised(trainFeatures);
        INDArray test = normalised(testFeatures);
        int trainSize = trainLabels.length;
        int maxK = Math.min(ks.stream().mapToInt(Integer::intValue).max().orElseThrow(), trainSize);
        int chunk = (int) Math.max(1, Math.min(testLabels.length, budgetBytes / (4L * trainSize)));
        long[] top1 = new long[ks.size()];
        long[] top5 = new long[ks.size()];
        float[] similarities = new float[chunk * trainSize];
        for (int start = 0; start < testLabels.length; start += chunk) {
            int rows = Math.min(chunk, testLabels.length - start);
            similarities(train, test.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all()),
                    similarities);
            int offset = start;
            long[][] hits = IntStream.range(0, rows).parallel()
                    .mapToObj(r -> score(similarities, r, trainSize, maxK, trainLabels, testLabels[offset + r],
                            classes))
                    .reduce(new long[2][ks.size()], KnnEvaluator::add);
            for (int i = 0; i < ks.size(); i++) {
                top1[i] += hits[0][i];
                top5[i] += hits[1][i];
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < ks.size(); i++) {
            int used = Math.min(ks.get(i), trainSize); // the name says the k that voted, never a larger one
            metrics.put("knn_top1_k" + used, 100.0 * top1[i] / testLabels.length);
            metrics.put("knn_top5_k" + used, 100.0 * top5[i] / testLabels.length);
        }
        return metrics;
    }

    /**
     * Cosine similarities of a block of test rows with every training row, laid out row by test row.
     *
     * @param train {@code [Ntrain, d]} unit rows
     * @param block {@code [rows, d]} unit rows
     * @param out receives {@code rows x Ntrain} floats, test row r at {@code r * Ntrain}
     */
    private static void similarities(INDArray train, INDArray block, float[] out) {
        // train x block^T into a column-major [Ntrain, rows] array, whose buffer is [rows][Ntrain] row-major.
        // ND4J's matmul into a column-major result is ~6x faster than into a row-major one for this thin product.
        INDArray result = Nd4j.createUninitialized(DataType.FLOAT, new long[] {train.size(0), block.size(0)}, 'f');
        train.mmuli(block.transpose(), result);
        result.data().asNioFloat().get(out, 0, (int) result.length());
        result.close();
    }

    /** For one test row: per k, whether top-1 and top-5 are right ({@code [2][ks]} of 0/1). */
    private long[][] score(float[] similarities, int row, int trainSize, int maxK, int[] trainLabels, int label,
                           int classes) {
        int[] neighbours = TopK.indices(similarities, row * trainSize, trainSize, maxK);
        long[][] hits = new long[2][ks.size()];
        for (int i = 0; i < ks.size(); i++) {
            int k = Math.min(ks.get(i), maxK);
            double[] votes = new double[classes];
            for (int n = 0; n < k; n++) {
                int j = neighbours[n];
                votes[trainLabels[j]] += Math.exp(similarities[row * trainSize + j] / temperature);
            }
            int rank = rankOf(votes, label);
            hits[0][i] = rank == 0 ? 1 : 0;
            hits[1][i] = rank < Math.min(5, k) ? 1 : 0;
        }
        return hits;
    }

    /** Position of {@code label} when classes are sorted by votes (descending, ties by class index). */
    private static int rankOf(double[] votes, int label) {
        int rank = 0;
        for (int c = 0; c < votes.length; c++) {
            if (votes[c] > votes[label] || (votes[c] == votes[label] && c < label)) {
                rank++;
            }
        }
        return rank;
    }

    private static long[][] add(long[][] a, long[][] b) {
        long[][] sum = new long[2][a[0].length];
        for (int i = 0; i < a[0].length; i++) {
            sum[0][i] = a[0][i] + b[0][i];
            sum[1][i] = a[1][i] + b[1][i];
        }
        return sum;
    }

    /** Rows scaled to unit L2 norm, as float. */
    static INDArray normalised(INDArray features) {
        INDArray rows = features.castTo(DataType.FLOAT).dup('c');
        INDArray norms = rows.norm2(1).reshape(rows.size(0), 1).addi(1e-12f);
        return rows.diviColumnVector(norms);
    }

    @Override
    public String toString() {
        return "k-NN k=" + Arrays.toString(ks.toArray()) + " T=" + temperature;
    }
}

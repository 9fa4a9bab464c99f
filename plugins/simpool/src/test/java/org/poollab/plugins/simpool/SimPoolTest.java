package org.poollab.plugins.simpool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.poollab.api.backbone.Grid;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.ParamException;
import org.poollab.api.param.Params;
import org.poollab.testkit.GradientCheck;
import org.poollab.testkit.PoolingHarness;

class SimPoolTest {

    private static final int B = 3;
    private static final int N = 6;
    private static final int D = 8;

    private final SimPool simPool = new SimPool(new Layers());

    private PoolingHarness harness(Map<String, Object> user, INDArray tokens) {
        Params params = Params.resolve(simPool.parameters(), Map.of(), user);
        return new PoolingHarness(simPool.create(params, D), tokens, new Grid(2, 3));
    }

    private static Map<String, Object> settings(String gamma, String minScope, int heads) {
        Map<String, Object> user = new HashMap<>();
        user.put("gamma", gamma);
        user.put("minScope", minScope);
        user.put("heads", heads);
        return user;
    }

    @ParameterizedTest(name = "gamma={0} minScope={1} heads={2}")
    @CsvSource({"none,sample,1", "none,sample,2", "1.25,sample,1", "1.25,batch,1", "2.0,sample,2", "2.0,batch,2"})
    void matchesPlainJavaComputation(String gamma, String minScope, int heads) {
        INDArray tokens = PoolingHarness.randomTokens(1, B, N, D).muli(2).addi(0.5);
        PoolingHarness harness = harness(settings(gamma, minScope, heads), tokens);
        // Non-trivial LayerNorm gain/bias and beta so that the test sees whether they are used.
        harness.parameter("norm/gain").assign(Nd4j.rand(DataType.DOUBLE, D).addi(0.5));
        harness.parameter("norm/bias").assign(Nd4j.randn(DataType.DOUBLE, D).muli(0.1));
        Double gammaValue = gamma.equals("none") ? null : Double.valueOf(gamma);
        double beta = 0;
        if (gammaValue != null) {
            beta = 0.3;
            harness.parameter("beta").assign(beta);
        }
        SimPoolReference reference = new SimPoolReference(toArray(tokens),
                harness.parameter("Wq/W").toDoubleMatrix(), harness.parameter("Wk/W").toDoubleMatrix(),
                harness.parameter("norm/gain").toDoubleVector(), harness.parameter("norm/bias").toDoubleVector(),
                heads, gammaValue, beta, minScope.equals("batch"), 1e-6);

        assertMatrixEquals(reference.pooled, harness.pooled().toDoubleMatrix(), 1e-9);
        assertMatrixEquals(reference.attention, harness.attention().orElseThrow().toDoubleMatrix(), 1e-12);
    }

    @Test
    void attentionIsADistributionOverTokens() {
        INDArray tokens = PoolingHarness.randomTokens(2, B, N, D).muli(3);
        INDArray map = harness(settings("1.25", "sample", 2), tokens).attention().orElseThrow();
        assertTrue(map.minNumber().doubleValue() >= 0);
        assertArrayEquals(new double[] {1, 1, 1}, map.sum(1).toDoubleVector(), 1e-12);
    }

    @ParameterizedTest(name = "gamma={0}")
    @CsvSource({"none", "2.0"})
    void invariantToTokenOrder(String gamma) {
        INDArray tokens = PoolingHarness.randomTokens(3, B, N, D);
        int[] order = {4, 0, 5, 2, 1, 3};
        INDArray shuffled = Nd4j.create(DataType.DOUBLE, B, N, D);
        for (int j = 0; j < N; j++) {
            shuffled.get(NDArrayIndex.all(), NDArrayIndex.point(j), NDArrayIndex.all())
                    .assign(tokens.get(NDArrayIndex.all(), NDArrayIndex.point(order[j]), NDArrayIndex.all()));
        }
        PoolingHarness original = harness(settings(gamma, "sample", 1), tokens);
        PoolingHarness permuted = harness(settings(gamma, "sample", 1), shuffled);
        assertMatrixEquals(original.pooled().toDoubleMatrix(), permuted.pooled().toDoubleMatrix(), 1e-12);
        double[][] map = original.attention().orElseThrow().toDoubleMatrix();
        double[][] permutedMap = permuted.attention().orElseThrow().toDoubleMatrix();
        for (int i = 0; i < B; i++) {
            for (int j = 0; j < N; j++) {
                assertEquals(map[i][order[j]], permutedMap[i][j], 1e-12);
            }
        }
    }

    @Test
    void perSampleMinimumMakesFeaturesIndependentOfTheBatch() {
        INDArray tokens = PoolingHarness.randomTokens(4, B, N, D);
        tokens.putScalar(new long[] {1, 0, 0}, -100); // after LayerNorm, sample 1 holds the batch minimum
        INDArray first = tokens.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.all()).dup();
        double[] alone = harness(settings("2.0", "sample", 1), first).pooled().toDoubleMatrix()[0];
        double[] inBatch = harness(settings("2.0", "sample", 1), tokens).pooled().toDoubleMatrix()[0];
        assertArrayEquals(alone, inBatch, 1e-12);
        double[] batchScoped = harness(settings("2.0", "batch", 1), tokens).pooled().toDoubleMatrix()[0];
        double[] batchScopedAlone = harness(settings("2.0", "batch", 1), first).pooled().toDoubleMatrix()[0];
        assertTrue(maxDifference(batchScoped, batchScopedAlone) > 1e-6, "batch scope should couple samples");
    }

    @ParameterizedTest(name = "gamma={0} minScope={1} heads={2}")
    @CsvSource({"none,sample,1", "1.25,sample,2", "2.0,batch,1"})
    void gradientsMatchFiniteDifferences(String gamma, String minScope, int heads) {
        INDArray tokens = PoolingHarness.randomTokens(5, 2, N, D);
        int checked = harness(settings(gamma, minScope, heads), tokens).assertGradients(GradientCheck.standard());
        assertTrue(checked > 40);
    }

    @Test
    void headsMustDivideTheWidth() {
        Params params = Params.resolve(simPool.parameters(), Map.of(), Map.of("heads", 3));
        ParamException error = assertThrows(ParamException.class, () -> simPool.create(params, D));
        assertEquals("heads", error.parameter());
    }

    private static double[][][] toArray(INDArray tokens) {
        double[][][] out = new double[(int) tokens.size(0)][][];
        for (int i = 0; i < out.length; i++) {
            out[i] = tokens.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all()).toDoubleMatrix();
        }
        return out;
    }

    private static void assertMatrixEquals(double[][] expected, double[][] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], tolerance, "row " + i);
        }
    }

    private static double maxDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}

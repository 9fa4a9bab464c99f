package org.poollab.plugins.lse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.api.backbone.Grid;
import org.poollab.api.param.Params;
import org.poollab.testkit.GradientCheck;
import org.poollab.testkit.PoolingHarness;

class LogSumExpPoolingTest {

    private static final int B = 2;
    private static final int N = 5;
    private static final int D = 3;

    private final LogSumExpPooling lse = new LogSumExpPooling();
    private final INDArray tokens = PoolingHarness.randomTokens(8, B, N, D);

    private INDArray pooled(double r) {
        Params params = Params.resolve(lse.parameters(), Map.of(), Map.of("r", r));
        return new PoolingHarness(lse.create(params, D), tokens, new Grid(1, N)).pooled();
    }

    @Test
    void matchesTheLogMeanExpComputedByHand() {
        double[][] pooled = pooled(10).toDoubleMatrix();
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < D; c++) {
                double sum = 0;
                for (int n = 0; n < N; n++) {
                    sum += Math.exp(10 * tokens.getDouble(b, n, c));
                }
                assertEquals(Math.log(sum / N) / 10, pooled[b][c], 1e-9);
            }
        }
    }

    @Test
    void tendsToTheMaxForLargeSharpnessAndToTheMeanForSmall() {
        // |u - max| <= log(N) / r and |u - mean| = O(r var)
        assertTrue(pooled(1e5).equalsWithEps(tokens.max(1), Math.log(N) / 1e5 + 1e-12));
        assertTrue(pooled(1e-6).equalsWithEps(tokens.mean(1), 1e-5));
    }

    @Test
    void gradientsMatchFiniteDifferencesIncludingTheLearnedSharpness() {
        Params params = Params.resolve(lse.parameters(), Map.of(), Map.of("r", 2.0));
        PoolingHarness harness = new PoolingHarness(lse.create(params, D), tokens, new Grid(1, N));
        assertEquals(13, harness.assertGradients(GradientCheck.standard()), "tokens and r");
    }
}

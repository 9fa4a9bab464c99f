package org.poollab.plugins.gem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.poollab.api.backbone.Grid;
import org.poollab.api.param.Params;
import org.poollab.testkit.GradientCheck;
import org.poollab.testkit.PoolingHarness;

class GeneralisedMeanPoolingTest {

    private static final int B = 2;
    private static final int N = 6;
    private static final int D = 3;

    private final GeneralisedMeanPooling gem = new GeneralisedMeanPooling();

    private PoolingHarness harness(Map<String, Object> params, INDArray tokens) {
        return new PoolingHarness(gem.create(Params.resolve(gem.parameters(), Map.of(), params), D), tokens,
                new Grid(2, 3));
    }

    @Test
    void matchesThePowerMeanOfClampedFeatures() {
        INDArray tokens = PoolingHarness.randomTokens(4, B, N, D); // about half negative: clamped to eps
        double[][] pooled = harness(Map.of("p", 3.0), tokens).pooled().toDoubleMatrix();
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < D; c++) {
                double sum = 0;
                for (int n = 0; n < N; n++) {
                    sum += Math.pow(Math.max(tokens.getDouble(b, n, c), 1e-6), 3);
                }
                assertEquals(Math.cbrt(sum / N), pooled[b][c], 1e-9);
            }
        }
    }

    @Test
    void withPowerOneIsTheMeanOfNonNegativeFeatures() {
        INDArray tokens = Transforms.abs(PoolingHarness.randomTokens(5, B, N, D));
        INDArray pooled = harness(Map.of("p", 1.0), tokens).pooled();
        assertTrue(pooled.equalsWithEps(tokens.mean(1), 1e-9), pooled + " vs " + tokens.mean(1));
    }

    @Test
    void gradientsMatchFiniteDifferencesWithFixedAndLearnedPower() {
        INDArray tokens = Transforms.abs(PoolingHarness.randomTokens(6, B, N, D)).addi(0.1);
        assertEquals(12, harness(Map.of("p", 3.0), tokens).assertGradients(GradientCheck.standard()), "tokens");
        assertEquals(13, harness(Map.of("learnP", true), tokens).assertGradients(GradientCheck.standard()),
                "tokens and p");
    }
}

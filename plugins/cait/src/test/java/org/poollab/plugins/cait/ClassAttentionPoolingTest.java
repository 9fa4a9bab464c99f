package org.poollab.plugins.cait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.api.backbone.Grid;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.Params;
import org.poollab.testkit.GradientCheck;
import org.poollab.testkit.PoolingHarness;

class ClassAttentionPoolingTest {

    private static final int B = 2;
    private static final int N = 6;
    private static final int D = 4;

    private final ClassAttentionPooling cait = new ClassAttentionPooling(new Layers());

    private PoolingHarness harness(Map<String, Object> params, INDArray tokens) {
        return new PoolingHarness(cait.create(Params.resolve(cait.parameters(), Map.of(), params), D), tokens,
                new Grid(2, 3));
    }

    @Test
    void mapRowsSumToOneAndAreNonNegative() {
        INDArray map = harness(Map.of("heads", 2, "blocks", 2), PoolingHarness.randomTokens(1, B, N, D))
                .attention().orElseThrow();
        for (int b = 0; b < B; b++) {
            assertEquals(1.0, map.getRow(b).sumNumber().doubleValue(), 1e-12);
        }
        assertTrue(map.minNumber().doubleValue() >= 0);
    }

    @Test
    void withZeroLayerScaleTheOutputIsTheLearnedClassToken() {
        PoolingHarness h = harness(Map.of("layerScale", 0.0), PoolingHarness.randomTokens(2, B, N, D));
        INDArray token = h.parameter("cls_token");
        for (int b = 0; b < B; b++) {
            assertTrue(h.pooled().getRow(b).equalsWithEps(token.getRow(0), 1e-12));
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesThroughTwoBlocks() {
        PoolingHarness h = harness(Map.of("heads", 2, "blocks", 2, "layerScale", 0.5),
                PoolingHarness.randomTokens(3, B, N, D));
        // Gradients reaching the first block are ~1e-6 (two LayerScale gains and 0.02-scale weights away from the
        // output); finite differences are good to ~1e-10 absolute there, so compare absolutely below 1e-4.
        assertTrue(h.assertGradients(new GradientCheck(1e-5, 1e-4, 12)) > 100);
    }
}

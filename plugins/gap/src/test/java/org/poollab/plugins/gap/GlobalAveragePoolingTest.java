package org.poollab.plugins.gap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.api.backbone.Grid;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.Params;
import org.poollab.testkit.PoolingHarness;

class GlobalAveragePoolingTest {

    private final GlobalAveragePooling gap = new GlobalAveragePooling(new Layers());

    private PoolingHarness harness(INDArray tokens) {
        return new PoolingHarness(gap.create(Params.defaults(gap.parameters()), 4), tokens, new Grid(2, 3));
    }

    @Test
    void isTheTokenMeanWithAUniformMap() {
        INDArray tokens = PoolingHarness.randomTokens(1, 2, 6, 4);
        PoolingHarness harness = harness(tokens);
        double[][] pooled = harness.pooled().toDoubleMatrix();
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < 4; c++) {
                double sum = 0;
                for (int n = 0; n < 6; n++) {
                    sum += tokens.getDouble(b, n, c);
                }
                assertEquals(sum / 6, pooled[b][c], 1e-12);
            }
        }
        double[] uniform = {1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6};
        assertArrayEquals(uniform, harness.attention().orElseThrow().toDoubleMatrix()[1], 1e-12);
    }
}

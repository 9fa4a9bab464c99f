package org.poollab.plugins.max;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.api.backbone.Grid;
import org.poollab.api.param.Params;
import org.poollab.testkit.PoolingHarness;

class GlobalMaxPoolingTest {

    private final GlobalMaxPooling max = new GlobalMaxPooling();

    private PoolingHarness harness(INDArray tokens) {
        return new PoolingHarness(max.create(Params.resolve(max.parameters(), Map.of(), Map.of()), 5), tokens,
                new Grid(2, 2));
    }

    @Test
    void equalsTheChannelMaximumComputedByHand() {
        INDArray tokens = PoolingHarness.randomTokens(1, 3, 4, 5);
        double[][] pooled = harness(tokens).pooled().toDoubleMatrix();
        for (int b = 0; b < 3; b++) {
            for (int c = 0; c < 5; c++) {
                double expected = Double.NEGATIVE_INFINITY;
                for (int n = 0; n < 4; n++) {
                    expected = Math.max(expected, tokens.getDouble(b, n, c));
                }
                assertEquals(expected, pooled[b][c], 0.0);
            }
        }
    }

    @Test
    void mapIsTheShareOfChannelsEachTokenWins() {
        INDArray tokens = PoolingHarness.randomTokens(2, 2, 4, 5);
        double[][] map = harness(tokens).attention().orElseThrow().toDoubleMatrix();
        for (int b = 0; b < 2; b++) {
            double[] expected = new double[4];
            for (int c = 0; c < 5; c++) {
                int winner = 0;
                for (int n = 1; n < 4; n++) {
                    if (tokens.getDouble(b, n, c) > tokens.getDouble(b, winner, c)) {
                        winner = n;
                    }
                }
                expected[winner] += 1.0 / 5;
            }
            assertArrayEquals(expected, map[b], 1e-12);
        }
    }
}

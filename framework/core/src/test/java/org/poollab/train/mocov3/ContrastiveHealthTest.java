package org.poollab.train.mocov3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ContrastiveHealthTest {

    @Test
    void keysThatAreTheOtherViewsQueriesAreAllFoundAndShuffledOnesAreNot() {
        INDArray q1 = Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}});
        INDArray q2 = Nd4j.createFromArray(new double[][] {{2, 0, 0}, {0, 3, 0}, {0, 0, 1}, {1, 1, 0.1}});
        // q1 is matched against k2 and q2 against k1: keys equal to the other view's queries are each other's nearest
        assertEquals(100, ContrastiveHealth.accuracy(new MocoPair.StepOutputs(List.of(q1, q2), List.of(q1, q2))),
                1e-12);
        INDArray reversed = Nd4j.createFromArray(new double[][] {{1, 1, 0}, {0, 0, 1}, {0, 1, 0}, {1, 0, 0}});
        // the same keys in reverse order: each query's nearest key now belongs to another image
        double shuffled = ContrastiveHealth.accuracy(new MocoPair.StepOutputs(List.of(q1, q2),
                List.of(reversed, reversed)));
        assertEquals(0, shuffled, 1e-12);
    }

    @Test
    void theSpreadOfNormalisedOutputsIsZeroAtACollapseAndScaleFree() {
        INDArray collapsed = Nd4j.createFromArray(new double[][] {{1, 2}, {2, 4}, {3, 6}});
        assertEquals(0, ContrastiveHealth.normalisedStd(collapsed), 1e-12, "one direction: nothing spreads");
        INDArray opposite = Nd4j.createFromArray(new double[][] {{1, 0}, {-1, 0}, {0, 5}, {0, -5}});
        // normalised rows (1, 0), (-1, 0), (0, 1), (0, -1): each column holds 1, -1, 0, 0, whose bias-corrected
        // standard deviation (as torch.std's) is sqrt(2 / 3)
        assertEquals(Math.sqrt(2.0 / 3), ContrastiveHealth.normalisedStd(opposite), 1e-12);
    }
}

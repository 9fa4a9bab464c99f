package org.poollab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AttentionJaccardTest {

    /** A 4x4 image whose object is its top-left 2x2 block: token 0 of a 2x2 grid. */
    private static final boolean[] TOP_LEFT = {
        true, true, false, false,
        true, true, false, false,
        false, false, false, false,
        false, false, false, false};

    @Test
    void aMapOnTheObjectScoresOne() {
        assertEquals(1.0, AttentionJaccard.jaccard(new double[] {0.97, 0.01, 0.01, 0.01}, 2, 2, TOP_LEFT, 4, 4));
    }

    @Test
    void aUniformMapSelectsEverythingAndScoresTheForegroundFraction() {
        assertEquals(4.0 / 16, AttentionJaccard.jaccard(new double[] {1, 1, 1, 1}, 2, 2, TOP_LEFT, 4, 4));
    }

    @Test
    void aMapOffTheObjectScoresZero() {
        assertEquals(0.0, AttentionJaccard.jaccard(new double[] {0, 0, 0, 1}, 2, 2, TOP_LEFT, 4, 4));
    }

    @Test
    void theRegionIsTheSmallestSetHoldingSixtyPercentOfTheMass() {
        // 0.5 < 0.6, 0.5 + 0.3 >= 0.6: two tokens, whatever their positions
        assertArrayEquals(new boolean[] {false, true, false, true},
                AttentionJaccard.massRegion(new double[] {0.15, 0.5, 0.05, 0.3}, 0.6));
        // ties with the last token taken are all taken
        assertArrayEquals(new boolean[] {true, true, true, false},
                AttentionJaccard.massRegion(new double[] {0.5, 0.2, 0.2, 0.1}, 0.6));
        // half of the object: region = tokens 0 and 1 (8 pixels), object = 4 pixels inside it
        assertEquals(4.0 / 8, AttentionJaccard.jaccard(new double[] {0.45, 0.45, 0.05, 0.05}, 2, 2, TOP_LEFT, 4, 4));
    }
}

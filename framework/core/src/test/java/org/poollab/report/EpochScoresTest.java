package org.poollab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochScoresTest {

    private static RunSummary run(String id) {
        return new RunSummary(id, "run-" + id, "FINISHED", Map.of(), Map.of(), Map.of(), 1, "http://x/" + id, "");
    }

    @Test
    void aTableIsWorthItOnlyWhenSomeRunWasEvaluatedMoreThanOnce() {
        RunSummary a = run("a");
        RunSummary b = run("b");
        EpochScores a1 = new EpochScores(a, 1, Map.of("knn_top1_k20", 60.0));
        EpochScores b1 = new EpochScores(b, 1, Map.of("knn_top1_k20", 61.0));
        EpochScores b2 = new EpochScores(b, 2, Map.of());
        assertFalse(EpochScores.anyRunHasSeveral(List.of(a1, b1)), "one evaluation per run");
        assertTrue(EpochScores.anyRunHasSeveral(List.of(a1, b1, b2)), "run b twice");
        assertEquals(60.0, a1.metric("knn_top1_k20"));
        assertTrue(Double.isNaN(b2.metric("knn_top1_k20")), "not logged at that epoch");
    }
}

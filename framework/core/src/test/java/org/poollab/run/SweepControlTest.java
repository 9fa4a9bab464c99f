package org.poollab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.poollab.tracking.SweepChildren.Metric;
import org.poollab.train.EpochLoop;

/** When a running point's training should end: its remaining epochs at the pace of its last one. */
class SweepControlTest {

    private static final long NOW = 1_000_000_000L;

    @Test
    void theRemainingEpochsAtTheLastOnesPaceLessTheTimeSinceItEnded() {
        // 2 of 10 epochs done, 6 minutes each, the second ended 3 minutes ago: 8 * 6 - 3 = 45 minutes.
        Map<String, Metric> metrics = Map.of(EpochLoop.EPOCH_MINUTES, new Metric(6, 2, NOW - 180_000),
                "loss", new Metric(3.5, 170, NOW));
        assertEquals(Optional.of("45 min"), SweepControl.trainingLeft(metrics, 10, NOW));
        assertEquals(Optional.of("4.8 h"), SweepControl.trainingLeft(Map.of(EpochLoop.EPOCH_MINUTES,
                new Metric(6, 2, NOW)), 50, NOW));
    }

    @Test
    void nothingIsSaidBeforeTheFirstEpochEndedAndNeverLessThanNothingIsLeft() {
        assertEquals(Optional.empty(), SweepControl.trainingLeft(Map.of("loss", new Metric(3.5, 10, NOW)), 10, NOW));
        assertEquals(Optional.of("0 min"), SweepControl.trainingLeft(Map.of(EpochLoop.EPOCH_MINUTES,
                new Metric(1, 9, NOW - 600_000)), 10, NOW));
    }
}

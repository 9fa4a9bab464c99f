package org.poollab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportChartsTest {

    @Test
    void theBarAxisIsZoomedToTheBarsAndTheirErrorBars() {
        // 68.47 / 68.16 / 66.95 (the DINO comparison) with sd 0.2: the span 66.75 .. 68.67 is 1.92 wide
        double[] range = ReportCharts.zoomedRange(List.of(68.47, 68.16, 66.95), List.of(0.2, 0.2, 0.2));
        assertArrayEquals(new double[] {66.75 - 0.768, 68.67 + 0.768}, range, 1e-9);
        assertArrayEquals(new double[] {0, 2.8}, ReportCharts.zoomedRange(List.of(1.0), List.of(1.0)), 1e-9,
                "never below zero");
    }
}

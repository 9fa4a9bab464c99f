package org.poollab.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void warmupThenCosineMatchesClosedForm() {
        Schedule s = Schedule.cosineWithWarmup(1.0, 0.1, 110, 10);
        assertEquals(0.0, s.at(0), 1e-12);
        assertEquals(0.5, s.at(5), 1e-12);
        assertEquals(1.0, s.at(10), 1e-12); // first cosine step is the peak
        assertEquals(0.1 + 0.45 * (1 + Math.cos(Math.PI * 50 / 100)), s.at(60), 1e-12);
        assertEquals(0.1 + 0.45 * (1 + Math.cos(Math.PI * 99 / 100)), s.at(109), 1e-12);
        assertEquals(s.at(109), s.at(500), 0.0);
    }
}

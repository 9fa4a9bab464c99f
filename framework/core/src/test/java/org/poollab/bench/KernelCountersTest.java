package org.poollab.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The kernel's counters of this process: touching fresh memory shows as minor page faults. */
class KernelCountersTest {

    @Test
    void sixtyFourFreshNativeMegabytesCountAMinorFaultForMostOfTheirPages() {
        KernelCounters before = KernelCounters.now().orElseThrow();
        // Native memory, as ND4J's buffers are: a fresh mapping, which the JVM zeroes page by page.
        ByteBuffer fresh = ByteBuffer.allocateDirect(64 << 20);
        KernelCounters touched = KernelCounters.now().orElseThrow().since(before);
        assertTrue(touched.minorFaults() >= fresh.capacity() / 4096 / 2, "minor faults: " + touched.minorFaults());
        assertTrue(touched.systemSeconds() >= 0, "system time: " + touched.systemSeconds());
    }
}

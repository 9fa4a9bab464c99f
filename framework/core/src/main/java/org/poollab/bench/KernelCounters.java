package org.poollab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the kernel counts for this process (Linux {@code /proc/self/stat}): minor page faults and system CPU time.
 * Fresh native buffers cost page faults and zeroing in the kernel, which a step's wall time hides; these say how
 * much of it a step pays.
 *
 * @param minorFaults minor page faults so far
 * @param systemSeconds CPU time spent in the kernel so far
 */
public record KernelCounters(long minorFaults, double systemSeconds) {

    /** Clock ticks per second of {@code /proc/self/stat}'s times (USER_HZ, 100 on every Linux in use). */
    private static final double TICKS_PER_SECOND = 100;

    /** @return the counters now, or empty where {@code /proc/self/stat} is unavailable */
    public static Optional<KernelCounters> now() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command name (which may hold spaces, in parentheses): state is field 3.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return Optional.of(new KernelCounters(Long.parseLong(fields[10 - 3]),
                    Long.parseLong(fields[15 - 3]) / TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The counts from {@code earlier} to this one. */
    public KernelCounters since(KernelCounters earlier) {
        return new KernelCounters(minorFaults - earlier.minorFaults, systemSeconds - earlier.systemSeconds);
    }
}

package org.poollab.tracking;

import java.util.Optional;
import java.util.Properties;

/**
 * A process as a later process can recognise it: its pid and its start time, since a pid alone may have been
 * reused by an unrelated process since it was recorded.
 *
 * @param pid the process id
 * @param started its start time in epoch milliseconds, as text ("" where the system does not tell)
 */
public record ProcessIdentity(long pid, String started) {

    private static final String PID = "pid";
    private static final String STARTED = "started";

    /** The identity of a running process. */
    public static ProcessIdentity of(ProcessHandle process) {
        return new ProcessIdentity(process.pid(),
                process.info().startInstant().map(instant -> Long.toString(instant.toEpochMilli())).orElse(""));
    }

    /** The identity as {@link #store} wrote it (pid -1 when absent: no process). */
    public static ProcessIdentity from(Properties properties) {
        return new ProcessIdentity(Long.parseLong(properties.getProperty(PID, "-1")),
                properties.getProperty(STARTED, ""));
    }

    /** Records the identity as {@code pid} and {@code started}. */
    public void store(Properties properties) {
        properties.setProperty(PID, Long.toString(pid));
        properties.setProperty(STARTED, started);
    }

    /** The process, if one with this pid runs and started at the recorded time. */
    public Optional<ProcessHandle> live() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(process -> of(process).equals(this));
    }
}

package org.poollab.run;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** This machine's name, as run records, run tags and the Slurm executor name it. */
final class LocalHost {

    private LocalHost() {
    }

    /** @return the host name, or empty if the system cannot tell it */
    static Optional<String> name() {
        try {
            return Optional.of(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}

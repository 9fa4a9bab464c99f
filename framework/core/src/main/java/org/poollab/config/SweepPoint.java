package org.poollab.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of an experiment file: its sweep values (empty without a sweep) and its validated config.
 *
 * @param assignment dotted key to the value this point uses
 * @param config the validated config
 */
public record SweepPoint(Map<String, Object> assignment, ExperimentConfig config) {

    /** Freezes the assignment. */
    public SweepPoint {
        assignment = Collections.unmodifiableMap(new LinkedHashMap<>(assignment));
    }

    /** A short label such as {@code pooling.id=cls,seed=1} ("" without a sweep). */
    public String label() {
        StringBuilder out = new StringBuilder();
        assignment.forEach((k, v) -> out.append(out.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return out.toString();
    }
}

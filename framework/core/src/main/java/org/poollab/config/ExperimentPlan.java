package org.poollab.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an experiment file asks for: one run, or a sweep's runs.
 *
 * @param text the file's text (logged and stored with checkpoints)
 * @param overrides the {@code --set key=value} overrides applied to it, in order
 * @param grid the sweep grid (empty without a sweep)
 * @param points the runs, in order
 */
public record ExperimentPlan(String text, List<String> overrides, Map<String, List<Object>> grid,
                             List<SweepPoint> points) {

    /** Copies the collections. */
    public ExperimentPlan {
        overrides = List.copyOf(overrides);
        grid = Collections.unmodifiableMap(new LinkedHashMap<>(grid));
        points = List.copyOf(points);
    }

    /** Whether the file declares a sweep. */
    public boolean isSweep() {
        return !grid.isEmpty();
    }
}

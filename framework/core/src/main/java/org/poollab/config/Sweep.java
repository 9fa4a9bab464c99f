package org.poollab.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code sweep} section: a grid of dotted keys to value lists, expanded into its points. */
final class Sweep {

    /** More runs than this is a typo, not a plan for a CPU. */
    static final int MAX_POINTS = 1000;

    private Sweep() {
    }

    /** Validates the section: a mapping from dotted keys to non-empty lists. */
    static Map<String, List<Object>> grid(Object section) {
        if (!(section instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new ConfigException("sweep", "must map keys to lists of values, e.g. "
                    + "'sweep: {pooling.id: [simpool, cls, gap], seed: [0, 1]}'");
        }
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        long size = 1;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (!(entry.getValue() instanceof List<?> values) || values.isEmpty()) {
                throw new ConfigException("sweep." + key, "is '" + entry.getValue() + "' but must be a non-empty "
                        + "list of values, e.g. [simpool, cls, gap]");
            }
            if (key.equals("sweep") || key.startsWith("sweep.")) {
                throw new ConfigException("sweep." + key, "a sweep cannot sweep itself");
            }
            grid.put(key, List.copyOf(values));
            size *= values.size();
            if (size > MAX_POINTS) {
                throw new ConfigException("sweep", "expands to more than " + MAX_POINTS + " runs; shrink the grid");
            }
        }
        return grid;
    }

    /** Every combination, the last key varying fastest. */
    static List<Map<String, Object>> points(Map<String, List<Object>> grid) {
        List<Map<String, Object>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<Object>> axis : grid.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : points) {
                for (Object value : axis.getValue()) {
                    Map<String, Object> extended = new LinkedHashMap<>(partial);
                    extended.put(axis.getKey(), value);
                    next.add(extended);
                }
            }
            points = next;
        }
        return points;
    }
}

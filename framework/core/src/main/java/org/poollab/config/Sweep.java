package org.poollab.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code sweep} section: a grid of dotted keys to value lists, expanded into its points. */
final class Sweep {

    /** More runs than this is a typo, not a plan for a CPU. */
    static final int MAX_POINTS = 1000;
    /** A key of the section that is not a grid axis: combinations to leave out. */
    static final String EXCLUDE = "exclude";
    /** A key of the section that is not a grid axis: settings for the points that match a partial assignment. */
    static final String WHERE = "where";

    /**
     * One {@code where} entry: every point matching {@code match} also gets the settings of {@code set}.
     *
     * @param match swept key to value
     * @param set dotted key (any) to value
     */
    record Rule(Map<String, Object> match, Map<String, Object> set) {
    }

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
            if (key.equals(EXCLUDE) || key.equals(WHERE)) {
                continue;
            }
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
        if (grid.isEmpty()) {
            throw new ConfigException("sweep", "has no key to vary besides '" + EXCLUDE + "' and '" + WHERE + "', e.g. "
                    + "'sweep: {pooling.id: [simpool, gap]}'");
        }
        return grid;
    }

    /**
     * The section's {@code exclude} list: partial assignments (grid key to value); a point matching every key of
     * one of them is left out, e.g. {@code exclude: [{pooling.id: cls, backbone.id: convnext}]}.
     */
    static List<Map<String, Object>> exclusions(Object section, Map<String, List<Object>> grid) {
        Object list = section instanceof Map<?, ?> map ? map.get(EXCLUDE) : null;
        if (list == null) {
            return List.of();
        }
        String example = "e.g. 'exclude: [{pooling.id: cls, backbone.id: convnext}]'";
        if (!(list instanceof List<?> entries)) {
            throw new ConfigException("sweep." + EXCLUDE, "must be a list of key-value mappings, " + example);
        }
        List<Map<String, Object>> exclusions = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            exclusions.add(assignment(entries.get(i), "sweep." + EXCLUDE + "[" + i + "]", grid, example));
        }
        return exclusions;
    }

    /**
     * The section's {@code where} list, e.g. {@code where: [{match: {pooling.id: simpool, backbone.id: resnet},
     * set: {pooling.params.gamma: 2.0}}]}: per-point settings, applied after the point's own values.
     */
    static List<Rule> rules(Object section, Map<String, List<Object>> grid) {
        Object list = section instanceof Map<?, ?> map ? map.get(WHERE) : null;
        if (list == null) {
            return List.of();
        }
        String example = "e.g. 'where: [{match: {pooling.id: simpool, backbone.id: resnet}, "
                + "set: {pooling.params.gamma: 2.0}}]'";
        if (!(list instanceof List<?> entries)) {
            throw new ConfigException("sweep." + WHERE, "must be a list of {match, set} mappings, " + example);
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = "sweep." + WHERE + "[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> entry) || !entry.keySet().equals(Set.of("match", "set"))) {
                throw new ConfigException(path, "must have exactly the keys 'match' and 'set', " + example);
            }
            if (!(entry.get("set") instanceof Map<?, ?> settings) || settings.isEmpty()) {
                throw new ConfigException(path + ".set", "must map dotted keys to values, " + example);
            }
            Map<String, Object> set = new LinkedHashMap<>();
            settings.forEach((key, value) -> set.put(String.valueOf(key), value));
            rules.add(new Rule(assignment(entry.get("match"), path + ".match", grid, example), set));
        }
        return rules;
    }

    /** A non-empty mapping from swept keys to values. */
    private static Map<String, Object> assignment(Object node, String path, Map<String, List<Object>> grid,
                                                  String example) {
        if (!(node instanceof Map<?, ?> entry) || entry.isEmpty()) {
            throw new ConfigException(path, "must map swept keys to values, " + example);
        }
        Map<String, Object> assignment = new LinkedHashMap<>();
        for (Map.Entry<?, ?> pair : entry.entrySet()) {
            String key = String.valueOf(pair.getKey());
            if (!grid.containsKey(key)) {
                throw new ConfigException(path + "." + key, "is not a swept key; the sweep varies " + grid.keySet());
            }
            assignment.put(key, pair.getValue());
        }
        return assignment;
    }

    /** Whether {@code point} has every value of the partial assignment {@code partial}. */
    static boolean matches(Map<String, Object> point, Map<String, Object> partial) {
        return partial.entrySet().stream()
                .allMatch(e -> String.valueOf(point.get(e.getKey())).equals(String.valueOf(e.getValue())));
    }

    /** Every combination not excluded, the last key varying fastest. */
    static List<Map<String, Object>> points(Map<String, List<Object>> grid, List<Map<String, Object>> exclusions) {
        return points(grid).stream().filter(point -> exclusions.stream().noneMatch(exclusion -> matches(point,
                exclusion))).toList();
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

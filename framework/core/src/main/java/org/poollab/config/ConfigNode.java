package org.poollab.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one YAML mapping with typed accessors that fill in defaults, check ranges and record every value read
 * into a resolved copy (what is logged to MLflow). {@link #rejectUnknownKeys()} then refuses keys nobody read.
 */
final class ConfigNode {

    /** The word that leaves a choice to the data. */
    static final String AUTO = "auto";

    private final String path;
    private final Map<String, Object> raw;
    private final Map<String, Object> resolved;
    private final Set<String> known = new LinkedHashSet<>();

    ConfigNode(String path, Map<String, Object> raw, Map<String, Object> resolved) {
        this.path = path;
        this.raw = raw;
        this.resolved = resolved;
    }

    /** The root node of a parsed file. */
    static ConfigNode root(Object parsed, Map<String, Object> resolved) {
        if (!(parsed instanceof Map<?, ?>)) {
            throw new ConfigException("", "the file must be a YAML mapping (key: value lines), e.g. 'experiment: x'");
        }
        return new ConfigNode("", asStringMap("", parsed), resolved);
    }

    /** A nested mapping; absent means empty. */
    ConfigNode section(String key) {
        known.add(key);
        Object value = raw.get(key);
        Map<String, Object> child = new LinkedHashMap<>();
        resolved.put(key, child);
        if (value == null) {
            return new ConfigNode(pathOf(key), Map.of(), child);
        }
        return new ConfigNode(pathOf(key), asStringMap(pathOf(key), value), child);
    }

    /** A nested mapping that switches a feature on by being there; {@code null} (and not resolved) if absent. */
    ConfigNode optionalSection(String key) {
        if (raw.get(key) == null) {
            known.add(key);
            return null;
        }
        return section(key);
    }

    /** A free-form mapping passed to a plugin (validated later against the plugin's specs). */
    Map<String, Object> freeMap(String key) {
        known.add(key);
        Object value = raw.get(key);
        Map<String, Object> map = value == null ? Map.of() : asStringMap(pathOf(key), value);
        map.forEach((name, v) -> {
            if (v == null) {
                throw new ConfigException(pathOf(key) + "." + name, "has no value; give one (a plugin's 'no value' "
                        + "is usually written none) or remove the key");
            }
        });
        resolved.put(key, new LinkedHashMap<>(map));
        return map;
    }

    String string(String key, String defaultValue) {
        Object value = take(key, defaultValue);
        if (value != null && !(value instanceof String)) {
            throw problem(key, "is '" + value + "' but must be text");
        }
        return (String) value;
    }

    /** A required string. */
    String requiredString(String key, String example) {
        String value = string(key, null);
        if (value == null || value.isBlank()) {
            throw problem(key, "is missing; add it, e.g. '" + key + ": " + example + "'");
        }
        return value;
    }

    String choice(String key, String defaultValue, List<String> allowed) {
        String value = string(key, defaultValue);
        if (value == null) {
            throw problem(key, "is empty but must be one of " + allowed);
        }
        if (!allowed.contains(value)) {
            throw problem(key, "is '" + value + "' but must be one of " + allowed);
        }
        return value;
    }

    int integer(String key, int defaultValue, int min, int max) {
        return checkInt(key, take(key, defaultValue), min, max);
    }

    /** An integer that may be null (written null or none). */
    Integer optionalInteger(String key, int min) {
        Object value = take(key, null);
        if (value == null || "none".equals(value)) {
            resolved.put(key, null);
            return null;
        }
        return checkInt(key, value, min, Integer.MAX_VALUE);
    }

    /** One of {@code allowed}, or {@code null} when the key is absent or {@code auto}. */
    Integer autoInteger(String key, List<Integer> allowed) {
        Object value = take(key, AUTO);
        if (AUTO.equals(value)) {
            return null;
        }
        if (!(value instanceof Integer i) || !allowed.contains(i)) {
            throw problem(key, "is '" + value + "' but must be " + AUTO + " or one of " + allowed);
        }
        return i;
    }

    /** An integer in [min, max], or {@code null} when the key is absent or {@code auto}. */
    Integer autoInteger(String key, int min, int max) {
        return autoInteger(key, AUTO, min, max);
    }

    /** An integer in [min, max] ({@code defaultValue} when absent), or {@code null} for {@code auto}. */
    Integer autoInteger(String key, Object defaultValue, int min, int max) {
        Object value = take(key, defaultValue);
        if (AUTO.equals(value)) {
            return null;
        }
        if (!(value instanceof Integer)) {
            throw problem(key, "is '" + value + "' but must be " + AUTO + " or an integer" + range(min, max));
        }
        return checkInt(key, value, min, max);
    }

    /**
     * One number, or a list of one or {@code perChannel} numbers, each in [min, max]; {@code null} when absent.
     */
    List<Double> optionalNumbers(String key, int perChannel, double min, double max) {
        Object value = take(key, null);
        if (value == null) {
            return null;
        }
        List<?> items = value instanceof List<?> list ? list : List.of(value);
        String expected = "a number between " + min + " and " + max + ", or a list of 1 or " + perChannel
                + " such numbers (one per channel)";
        if (items.size() != 1 && items.size() != perChannel) {
            throw problem(key, "is '" + value + "' but must be " + expected);
        }
        List<Double> out = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Number number) || !Double.isFinite(number.doubleValue())
                    || number.doubleValue() < min || number.doubleValue() > max) {
                throw problem(key, "is '" + value + "' but must be " + expected);
            }
            out.add(number.doubleValue());
        }
        resolved.put(key, List.copyOf(out));
        return List.copyOf(out);
    }

    long longValue(String key, long defaultValue) {
        Object value = take(key, defaultValue);
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw problem(key, "is '" + value + "' but must be an integer");
    }

    double number(String key, double defaultValue, double min, double max) {
        Object value = take(key, defaultValue);
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            throw problem(key, "is '" + value + "' but must be a number between " + min + " and " + max);
        }
        double v = number.doubleValue();
        if (v < min || v > max) {
            throw problem(key, "is " + v + " but must be between " + min + " and " + max);
        }
        resolved.put(key, v);
        return v;
    }

    boolean bool(String key, boolean defaultValue) {
        Object value = take(key, defaultValue);
        if (!(value instanceof Boolean b)) {
            throw problem(key, "is '" + value + "' but must be true or false");
        }
        return b;
    }

    List<Integer> integerList(String key, List<Integer> defaultValue, int min) {
        Object value = take(key, defaultValue);
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw problem(key, "is '" + value + "' but must be a non-empty list of integers, e.g. [10, 20]");
        }
        List<Integer> out = new ArrayList<>();
        for (Object item : list) {
            out.add(checkInt(key, item, min, Integer.MAX_VALUE));
        }
        resolved.put(key, List.copyOf(out));
        return List.copyOf(out);
    }

    /** A list of words (empty if absent), e.g. extra command-line options. */
    List<String> stringList(String key) {
        Object value = take(key, List.of());
        if (!(value instanceof List<?> list) || list.stream().anyMatch(item -> !(item instanceof String))) {
            throw problem(key, "is '" + value + "' but must be a list of text, e.g. [--qos=long]");
        }
        List<String> out = list.stream().map(String.class::cast).toList();
        resolved.put(key, out);
        return out;
    }

    /** A list of exactly {@code size} numbers, each in [min, max]. */
    List<Double> numberList(String key, List<Double> defaultValue, int size, double min, double max) {
        Object value = take(key, defaultValue);
        String expected = "a list of " + size + " numbers between " + min + " and " + max + ", e.g. "
                + defaultValue;
        if (!(value instanceof List<?> list) || list.size() != size) {
            throw problem(key, "is '" + value + "' but must be " + expected);
        }
        List<Double> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Number number) || number.doubleValue() < min || number.doubleValue() > max) {
                throw problem(key, "is '" + value + "' but must be " + expected);
            }
            out.add(number.doubleValue());
        }
        resolved.put(key, List.copyOf(out));
        return List.copyOf(out);
    }

    /** An interval {@code [low, high]} inside [min, max] with low <= high. */
    List<Double> interval(String key, List<Double> defaultValue, double min, double max) {
        List<Double> bounds = numberList(key, defaultValue, 2, min, max);
        if (bounds.get(0) > bounds.get(1)) {
            throw problem(key, "is " + bounds + " but its first value must not exceed the second");
        }
        return bounds;
    }

    /** Whether the file sets {@code key} (for keys that only some choices allow). */
    boolean has(String key) {
        return raw.containsKey(key);
    }

    /** Refuses keys that no accessor read: typos must not be silently ignored. */
    void rejectUnknownKeys() {
        for (String key : raw.keySet()) {
            if (!known.contains(key)) {
                throw problem(key, "is not a known key" + (known.isEmpty() ? "" : "; known keys here: "
                        + String.join(", ", known)));
            }
        }
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    ConfigException problem(String key, String message) {
        return new ConfigException(pathOf(key), message);
    }

    private Object take(String key, Object defaultValue) {
        known.add(key);
        Object value = raw.containsKey(key) ? raw.get(key) : defaultValue;
        resolved.put(key, value);
        return value;
    }

    private int checkInt(String key, Object value, int min, int max) {
        if (!(value instanceof Integer i)) {
            throw problem(key, "is '" + value + "' but must be an integer" + range(min, max));
        }
        if (i < min || i > max) {
            throw problem(key, "is " + i + " but must be an integer" + range(min, max));
        }
        return i;
    }

    private static String range(int min, int max) {
        return max == Integer.MAX_VALUE ? " >= " + min : " between " + min + " and " + max;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asStringMap(String path, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new ConfigException(path, "is '" + value + "' but must be a mapping of keys to values");
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new ConfigException(path, "has the key '" + key + "', but keys must be text");
            }
        }
        return (Map<String, Object>) map;
    }
}

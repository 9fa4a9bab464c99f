package org.poollab.api.param;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Validated parameter values of one component: every declared parameter present, of its declared type and in
 * range. Immutable. Created by {@link #resolve}, which layers defaults, a preset and user values.
 */
public final class Params {

    private final Map<String, Object> values;

    private Params(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Resolves user values against the specs: defaults first, then the preset, then the user's values.
     *
     * @param specs the component's declared parameters
     * @param preset values that replace defaults (may be empty)
     * @param user values from the experiment file (may be empty)
     * @throws ParamException for an unknown name, a wrong type or an out-of-range value
     */
    public static Params resolve(List<ParamSpec> specs, Map<String, ?> preset, Map<String, ?> user) {
        Map<String, ParamSpec> byName = new LinkedHashMap<>();
        specs.forEach(spec -> byName.put(spec.name(), spec));
        Map<String, Object> resolved = new LinkedHashMap<>();
        specs.forEach(spec -> resolved.put(spec.name(), spec.defaultValue()));
        apply(byName, preset, resolved);
        apply(byName, user, resolved);
        return new Params(resolved);
    }

    /** Defaults only. */
    public static Params defaults(List<ParamSpec> specs) {
        return resolve(specs, Map.of(), Map.of());
    }

    private static void apply(Map<String, ParamSpec> specs, Map<String, ?> source, Map<String, Object> target) {
        for (Map.Entry<String, ?> entry : source.entrySet()) {
            ParamSpec spec = specs.get(entry.getKey());
            if (spec == null) {
                throw new ParamException(entry.getKey(), "is not a parameter of this component; known parameters: "
                        + String.join(", ", specs.keySet()));
            }
            target.put(spec.name(), spec.coerce(entry.getValue()));
        }
    }

    /** An integer parameter. */
    public int getInt(String name) {
        return (Integer) require(name);
    }

    /**
     * An integer parameter that must divide {@code width}, such as a number of attention heads that split the
     * feature width into equal blocks.
     *
     * @throws ParamException naming the parameter, its value and the width it must divide
     */
    public int getIntDividing(String name, int width) {
        int value = getInt(name);
        if (width % value != 0) {
            throw new ParamException(name, "is " + value + " but must divide the feature width d = " + width);
        }
        return value;
    }

    /** A real-valued parameter. */
    public double getDouble(String name) {
        return (Double) require(name);
    }

    /** A nullable real-valued parameter; {@code null} means "none". */
    public Double getOptionalDouble(String name) {
        return (Double) get(name);
    }

    /** A boolean parameter. */
    public boolean getBoolean(String name) {
        return (Boolean) require(name);
    }

    /** A choice parameter. */
    public String getChoice(String name) {
        return (String) require(name);
    }

    /** All values by name, in declaration order (for logging and listings). */
    public Map<String, Object> asMap() {
        return values;
    }

    private Object require(String name) {
        return Objects.requireNonNull(get(name), () -> "parameter " + name + " is null");
    }

    private Object get(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("no parameter named " + name + "; known: " + values.keySet());
        }
        return values.get(name);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}

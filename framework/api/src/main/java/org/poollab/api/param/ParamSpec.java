package org.poollab.api.param;

import java.util.List;
import java.util.Objects;

/**
 * One typed plugin parameter: name, type, default, allowed range or values, and a description.
 * Build instances with the static factories and refine them with {@link #min}, {@link #max}, {@link #nullable}.
 *
 * @param name the key in the experiment file ({@code gamma})
 * @param type the value type
 * @param defaultValue the default; {@code null} only when {@code nullable}
 * @param nullable whether {@code null} (written {@code null} or {@code none} in YAML) is a valid value
 * @param min inclusive lower bound for numbers, or {@code null}
 * @param max inclusive upper bound for numbers, or {@code null}
 * @param choices allowed values of a {@link ParamType#CHOICE}, empty otherwise
 * @param description one line for {@code poollab plugins}
 */
public record ParamSpec(String name, ParamType type, Object defaultValue, boolean nullable, Double min, Double max,
                        List<String> choices, String description) {

    /** Validates the spec itself: a plugin with an inconsistent spec is a programming error. */
    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        choices = List.copyOf(choices);
        if (defaultValue == null && !nullable) {
            throw new IllegalArgumentException("parameter " + name + " has no default and is not nullable");
        }
        if (type == ParamType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("choice parameter " + name + " lists no choices");
        }
    }

    /** An integer parameter. */
    public static ParamSpec intParam(String name, int defaultValue, String description) {
        return new ParamSpec(name, ParamType.INT, defaultValue, false, null, null, List.of(), description);
    }

    /** A real-valued parameter. */
    public static ParamSpec doubleParam(String name, double defaultValue, String description) {
        return new ParamSpec(name, ParamType.DOUBLE, defaultValue, false, null, null, List.of(), description);
    }

    /** A real-valued parameter that may be absent ({@code null}/{@code none}), with {@code null} as default. */
    public static ParamSpec optionalDouble(String name, String description) {
        return new ParamSpec(name, ParamType.DOUBLE, null, true, null, null, List.of(), description);
    }

    /** A boolean parameter. */
    public static ParamSpec boolParam(String name, boolean defaultValue, String description) {
        return new ParamSpec(name, ParamType.BOOLEAN, defaultValue, false, null, null, List.of(), description);
    }

    /** A parameter restricted to a set of strings; the default must be one of them. */
    public static ParamSpec choice(String name, String defaultValue, List<String> choices, String description) {
        if (!choices.contains(defaultValue)) {
            throw new IllegalArgumentException("default " + defaultValue + " of " + name + " is not in " + choices);
        }
        return new ParamSpec(name, ParamType.CHOICE, defaultValue, false, null, null, choices, description);
    }

    /** This spec with an inclusive lower bound. */
    public ParamSpec min(double lowerBound) {
        return new ParamSpec(name, type, defaultValue, nullable, lowerBound, max, choices, description);
    }

    /** This spec with an inclusive upper bound. */
    public ParamSpec max(double upperBound) {
        return new ParamSpec(name, type, defaultValue, nullable, min, upperBound, choices, description);
    }

    /**
     * Converts a raw value (as parsed from YAML or a {@code --set} string) to this parameter's Java type and checks
     * its range. Returns {@link Integer}, {@link Double}, {@link Boolean}, {@link String} or {@code null}.
     *
     * @throws ParamException naming the parameter and what it accepts
     */
    public Object coerce(Object raw) {
        if (raw == null || "none".equals(raw) || "null".equals(raw)) {
            if (nullable) {
                return null;
            }
            throw problem("must be set; it cannot be null");
        }
        Object value = switch (type) {
            case INT -> toInt(raw);
            case DOUBLE -> toDouble(raw);
            case BOOLEAN -> toBoolean(raw);
            case CHOICE -> toChoice(raw);
        };
        checkRange(value);
        return value;
    }

    /** What this parameter accepts, for error messages and listings ("a number ≥ 0, or none"). */
    public String accepted() {
        StringBuilder text = new StringBuilder(type == ParamType.CHOICE ? "one of " + choices : type.description());
        if (min != null) {
            text.append(" >= ").append(formatBound(min));
        }
        if (max != null) {
            text.append(min != null ? " and" : "").append(" <= ").append(formatBound(max));
        }
        if (nullable) {
            text.append(", or none");
        }
        return text.toString();
    }

    private Integer toInt(Object raw) {
        if (raw instanceof Integer i) {
            return i;
        }
        if (raw instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        if (raw instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw wrongType(raw);
            }
        }
        throw wrongType(raw);
    }

    private Double toDouble(Object raw) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        if (raw instanceof String s) {
            try {
                double parsed = Double.parseDouble(s.trim());
                if (Double.isFinite(parsed)) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                throw wrongType(raw);
            }
        }
        throw wrongType(raw);
    }

    private Boolean toBoolean(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        if ("true".equals(raw) || "false".equals(raw)) {
            return Boolean.parseBoolean((String) raw);
        }
        throw wrongType(raw);
    }

    private String toChoice(Object raw) {
        String text = String.valueOf(raw);
        if (!choices.contains(text)) {
            throw problem("is '" + text + "' but must be " + accepted());
        }
        return text;
    }

    private void checkRange(Object value) {
        if (!(value instanceof Number number)) {
            return;
        }
        double v = number.doubleValue();
        if (!Double.isFinite(v) || (min != null && v < min) || (max != null && v > max)) {
            throw problem("is " + value + " but must be " + accepted());
        }
    }

    private ParamException wrongType(Object raw) {
        return problem("is '" + raw + "' but must be " + accepted());
    }

    private ParamException problem(String what) {
        return new ParamException(name, what);
    }

    private static String formatBound(double bound) {
        return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
    }
}

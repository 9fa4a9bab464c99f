package org.poollab.api.param;

/** The value types a plugin parameter can have. */
public enum ParamType {
    /** A whole number. */
    INT("an integer"),
    /** A real number; integers are accepted. */
    DOUBLE("a number"),
    /** {@code true} or {@code false}. */
    BOOLEAN("true or false"),
    /** One of a fixed set of strings. */
    CHOICE("one of the allowed values");

    private final String description;

    ParamType(String description) {
        this.description = description;
    }

    /** How the type reads in an error message ("an integer"). */
    public String description() {
        return description;
    }
}

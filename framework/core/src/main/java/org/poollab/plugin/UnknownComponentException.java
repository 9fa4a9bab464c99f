package org.poollab.plugin;

import java.util.List;

/** An experiment asks for a pooling or backbone id that no loaded plugin provides. */
public class UnknownComponentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String kind;

    UnknownComponentException(String kind, String id, String available, List<String> failures) {
        super("unknown " + kind + " '" + id + "'; available: " + available
                + (failures.isEmpty() ? "" : "; plugins that failed to load: " + String.join(" | ", failures)));
        this.kind = kind;
    }

    /** "pooling" or "backbone". */
    public String kind() {
        return kind;
    }
}

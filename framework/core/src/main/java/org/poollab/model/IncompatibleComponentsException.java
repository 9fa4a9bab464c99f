package org.poollab.model;

/** A pooling and a backbone that cannot work together (e.g. {@code cls} on a CNN). */
public class IncompatibleComponentsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message names both components and the fix */
    public IncompatibleComponentsException(String message) {
        super(message);
    }
}

package org.poollab.tracking;

/** The MLflow tracking server cannot be reached or refused a request. */
public class TrackingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message names the server and the fix */
    public TrackingException(String message) {
        super(message);
    }

    /** @param message names the server and the fix */
    public TrackingException(String message, Throwable cause) {
        super(message, cause);
    }
}

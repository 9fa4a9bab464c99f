package org.poollab.data;

/** The data set cannot be read: names the file or folder and the fix. */
public class DataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message names the file and the fix */
    public DataException(String message) {
        super(message);
    }
}

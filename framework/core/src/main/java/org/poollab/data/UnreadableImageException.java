package org.poollab.data;

/** An image file that cannot be decoded (corrupt, truncated, not an image): names the file and the fix. */
public class UnreadableImageException extends DataException {

    private static final long serialVersionUID = 1L;

    /** @param message names the file and the fix */
    public UnreadableImageException(String message) {
        super(message);
    }
}

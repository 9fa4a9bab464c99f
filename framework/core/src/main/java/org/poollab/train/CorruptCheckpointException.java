package org.poollab.train;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that is damaged (truncated, a flipped bit, not a zip): names the file and what is wrong. */
public class CorruptCheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param file the checkpoint
     * @param problem what is wrong with it
     */
    public CorruptCheckpointException(Path file, String problem) {
        super("the checkpoint " + file + " is corrupt: " + problem);
    }
}

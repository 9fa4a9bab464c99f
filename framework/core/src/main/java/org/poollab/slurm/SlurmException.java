package org.poollab.slurm;

/** A Slurm command failed or is not installed: the message names the command, its output and the fix. */
public class SlurmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message the command, what it said, and what to do */
    public SlurmException(String message) {
        super(message);
    }
}

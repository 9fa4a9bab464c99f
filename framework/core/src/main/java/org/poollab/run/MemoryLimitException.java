package org.poollab.run;

/**
 * A run or benchmark stopped by a memory cap: the native memory JavaCPP may use (the launcher caps it, since
 * uncapped ND4J grows without bound) or the Java heap. Carries the fix in its message.
 */
public final class MemoryLimitException extends RuntimeException {

    /** @param cause the error thrown where the allocation failed */
    public MemoryLimitException(OutOfMemoryError cause) {
        super("out of memory (" + cause.getMessage() + "); lower trainer.batchSize, or raise the caps the launcher "
                + "sets, e.g. POOLLAB_JAVA_OPTS=\"-Xmx2g -Dorg.bytedeco.javacpp.maxbytes=12g "
                + "-Dorg.bytedeco.javacpp.maxphysicalbytes=6g\" ./poollab ...; checkpoints of finished epochs are "
                + "kept (poollab resume)", cause);
    }
}

package org.poollab.train;

/** Training produced a NaN or infinite loss; the run stops instead of wasting hours on garbage. */
public class NonFiniteLossException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param step the global step whose loss was not finite */
    public NonFiniteLossException(int step, double loss) {
        super("the loss became " + loss + " at step " + step + "; lower trainer.optimizer.lr, enable clipping "
                + "(trainer.optimizer.clipGrad) or check the data normalisation");
    }
}

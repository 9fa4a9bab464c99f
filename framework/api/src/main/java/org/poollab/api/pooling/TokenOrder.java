package org.poollab.api.pooling;

/**
 * How a pooling's output depends on the order of the tokens it is given, as the pooling declares it and the
 * contract test ({@code org.poollab.testkit.PoolingContract}) checks it. Positions reach a pooling through the
 * backbone (positional embeddings, convolution), so most poolings treat the tokens as a set.
 */
public enum TokenOrder {
    /** Permuting the tokens leaves the pooled vector as it is and permutes the attention map alike. */
    INVARIANT,
    /** The pooled vector depends on the order of the tokens (e.g. it reads the grid's layout). */
    DEPENDENT,
    /** Not declared: the contract does not check it. */
    UNDECLARED
}

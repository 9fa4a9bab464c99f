package org.poollab.plugins.simpool;

import org.poollab.api.param.Params;

/**
 * SimPool's configuration, checked against the feature width.
 *
 * @param dim d
 * @param heads H, divides d
 * @param gamma the power-mean exponent, or {@code null} for "no gamma"
 * @param beta whether a learnable scalar is added in gamma mode
 * @param batchMinimum whether m is the minimum over the whole batch (reference) instead of per sample
 * @param qkBias whether Wq and Wk have biases
 * @param eps LayerNorm and power-mean epsilon
 */
record SimPoolSettings(int dim, int heads, Double gamma, boolean beta, boolean batchMinimum, boolean qkBias,
                       double eps) {

    static SimPoolSettings from(Params params, int dim) {
        int heads = params.getIntDividing("heads", dim);
        return new SimPoolSettings(dim, heads, params.getOptionalDouble("gamma"), params.getBoolean("beta"),
                params.getChoice("minScope").equals("batch"), params.getBoolean("qkBias"), params.getDouble("eps"));
    }
}

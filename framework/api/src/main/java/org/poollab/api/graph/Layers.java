package org.poollab.api.graph;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Graph building blocks with the numerics the reference implementations use. Plugins receive this by constructor
 * injection so that every plugin gets the same exact GELU, the same LayerNorm with epsilon and a log-softmax whose
 * gradient works, where SameDiff's built-ins fall short (docs/dl4j.md: {@code sd.nn.gelu} is an approximation,
 * {@code sd.nn.layerNorm} has no epsilon, {@code logSoftmax(x, dim)} has a broken gradient). Softmax is SameDiff's
 * fused op, which is exact. The large matrix products go through {@link #product}, which honours the graph's
 * {@link Precision}.
 */
public class Layers {

    /** Standard deviation of the truncated-normal weight initialisation (timm ViT). */
    public static final double WEIGHT_STD = 0.02;

    /**
     * A product of rows and a weight matrix in the scope's {@link Precision}: in the graph's type, or with
     * {@link Precision#BF16_MATMUL} both operands rounded to bfloat16, multiplied by oneDNN (fp32 accumulation, a
     * bfloat16 result) and cast back to the graph's type. The casts' gradients are casts, so the backward products
     * run in bfloat16 as well, while the parameters, the gradients' sums and the optimiser stay in the graph's type.
     * Matrices only: ND4J M2.1 hands only rank-2 bfloat16 products to oneDNN (batched ones, such as attention's,
     * take a generic loop about 50 times slower than fp32), so those stay in the graph's type.
     *
     * @param rows {@code [M, K]}
     * @param weight {@code [K, N]}
     * @return {@code [M, N]} in the graph's type
     */
    public SDVariable product(GraphScope scope, SDVariable rows, SDVariable weight) {
        if (scope.precision() == Precision.FP32) {
            return rows.mmul(weight);
        }
        return rows.castTo(DataType.BFLOAT16).mmul(weight.castTo(DataType.BFLOAT16)).castTo(scope.dataType());
    }

    /**
     * A fully connected layer on vectors.
     *
     * @param x {@code [B, in]}
     * @return {@code [B, out]}
     */
    public SDVariable linear(GraphScope scope, String name, SDVariable x, int in, int out, boolean bias) {
        GraphScope layer = scope.child(name);
        SDVariable weight = layer.parameter("W", layer.init().truncatedNormal(WEIGHT_STD, in, out));
        SDVariable y = product(scope, x, weight);
        return bias ? y.add(layer.parameter("b", layer.init().zeros(out))) : y;
    }

    /**
     * A fully connected layer applied to every token.
     *
     * @param tokens N
     * @param x {@code [B, N, in]}
     * @return {@code [B, N, out]}
     */
    public SDVariable linearTokens(GraphScope scope, String name, SDVariable x, int tokens, int in, int out,
                                   boolean bias) {
        // tensorMmul's gradient fails in M2.1 (tensormmul_bp shape error): flatten the tokens instead.
        SDVariable rows = linear(scope, name, x.reshape(-1, in), in, out, bias); // [B*N, out]
        return rows.reshape(-1, tokens, out);
    }

    /**
     * LayerNorm over the last axis with a learnable gain (ones) and bias (zeros):
     * {@code (x - mean) / sqrt(var + eps) * g + b}, biased variance as in PyTorch.
     *
     * @param x {@code [..., dim]} of the given rank
     * @return same shape as {@code x}
     */
    public SDVariable layerNorm(GraphScope scope, String name, SDVariable x, int rank, int dim, double eps) {
        GraphScope layer = scope.child(name);
        SDVariable gain = layer.parameter("gain", layer.init().ones(dim));
        SDVariable shift = layer.parameter("bias", layer.init().zeros(dim));
        Rows normalised = standardised(scope, x.reshape(-1, dim), dim, eps); // [rows, dim]
        SDVariable y = normalised.values().mul(normalised.spread(gain.reshape(1, dim)))
                .add(normalised.spread(shift.reshape(1, dim)));
        return rank == 2 ? y : scope.sd().reshape(y, scope.sd().shape(x));
    }

    /**
     * A LayerNorm followed by a fully connected layer on every token, {@code linear(LN(x))}, with the norm's gain
     * and bias folded into the layer: {@code xhat (diag(g) W) + (b W + c)}. Same parameters (and names) and the
     * same function as {@link #layerNorm} then {@link #linearTokens}, but the per-token broadcast multiply and
     * add of the norm, and their backward reductions, become products of {@code [in, out]} matrices.
     *
     * @param x {@code [B, N, in]}
     * @return {@code [B, N, out]}
     */
    public SDVariable normalisedLinearTokens(GraphScope scope, String normName, String linearName, SDVariable x,
                                             int tokens, int in, int out, boolean bias, double eps) {
        return normalisedLinearRows(scope, normName, linearName, x, in, out, bias, eps, 1).values()
                .reshape(-1, tokens, out);
    }

    /** {@link #normalisedLinearTokens} times a constant, folded into the weights too, as rows. */
    private Rows normalisedLinearRows(GraphScope scope, String normName, String linearName, SDVariable x, int in,
                                      int out, boolean bias, double eps, double outputScale) {
        GraphScope norm = scope.child(normName);
        SDVariable gain = norm.parameter("gain", norm.init().ones(in));
        SDVariable shift = norm.parameter("bias", norm.init().zeros(in));
        GraphScope layer = scope.child(linearName);
        SDVariable weight = layer.parameter("W", layer.init().truncatedNormal(WEIGHT_STD, in, out));
        SDVariable scaledWeight = weight.mul(gain.reshape(in, 1)); // [in, out]
        SDVariable offset = shift.reshape(1, in).mmul(weight); // [1, out]
        if (bias) {
            offset = offset.add(layer.parameter("b", layer.init().zeros(out)));
        }
        if (outputScale != 1) {
            scaledWeight = scaledWeight.mul(outputScale);
            offset = offset.mul(outputScale);
        }
        Rows rows = standardised(scope, x.reshape(-1, in), in, eps); // [B*N, in]
        return new Rows(product(scope, rows.values(), scaledWeight).add(rows.spread(offset)), rows.ones());
    }

    /**
     * A pre-norm MLP on every token, {@code fc2(GELU(fc1(LN(x)))) * layerScale} with the exact GELU, computed with
     * its constants folded into the weights: with {@code h' = fc1(LN(x)) / sqrt 2}, {@code GELU(fc1(..)) =
     * (h' + h' erf(h')) / sqrt 2}, so the norm's gain and bias, both {@code 1 / sqrt 2} and the optional per-channel
     * layer scale act on weight matrices, and the per-token work of the GELU is three passes instead of five. Same
     * parameters (and names) and the same function as {@link #normalisedLinearTokens}, {@link #gelu},
     * {@link #linearTokens} and a multiplication by the layer scale.
     *
     * @param names the parameter scopes: norm, first layer, second layer
     * @param layerScale the per-channel scale {@code [dim]} of the output, or {@code null} for none
     * @param x {@code [B, N, dim]}
     * @return {@code [B, N, dim]}
     */
    public SDVariable normalisedMlp(GraphScope scope, MlpNames names, SDVariable x, int tokens, int dim, int hidden,
                                    double eps, SDVariable layerScale) {
        double root2 = Math.sqrt(2.0);
        Rows first = normalisedLinearRows(scope, names.norm(), names.first(), x, dim, hidden, true, eps, 1 / root2);
        SDVariable scaled = first.values(); // h' = h / sqrt 2, [B*N, hidden]
        SDVariable activated = scaled.add(scaled.mul(scope.sd().math.erf(scaled)));
        GraphScope second = scope.child(names.second());
        SDVariable weight = second.parameter("W", second.init().truncatedNormal(WEIGHT_STD, hidden, dim))
                .mul(1 / root2);
        SDVariable bias = second.parameter("b", second.init().zeros(dim));
        if (layerScale != null) {
            weight = weight.mul(layerScale.reshape(1, dim));
            bias = bias.mul(layerScale);
        }
        return product(scope, activated, weight).add(first.spread(bias.reshape(1, dim))).reshape(-1, tokens, dim);
    }

    /**
     * Parameter scopes of {@link #normalisedMlp}.
     *
     * @param norm the LayerNorm's
     * @param first the first (expanding) layer's
     * @param second the second layer's
     */
    public record MlpNames(String norm, String first, String second) {
    }

    /**
     * Rows {@code [R, C]} of a graph, with a column of ones {@code [R, 1]} that spreads a row vector over them.
     * ND4J's backward of a broadcast multiply or add ({@code [R, C]} with {@code [1, C]} or {@code [R, 1]}) is many
     * times slower than the same-shape one (docs/dl4j.md); spreading the vector by a product with ones first makes
     * every broadcast a same-shape op, and its reduction in the backward pass a matrix product.
     *
     * @param values {@code [R, C]}
     * @param ones {@code [R, 1]}, all ones
     */
    private record Rows(SDVariable values, SDVariable ones) {

        /** @return {@code row [1, C]} repeated on every row, {@code [R, C]} */
        SDVariable spread(SDVariable row) {
            return ones.mmul(row);
        }
    }

    /**
     * {@code (x - mean) / sqrt(var + eps)} of each row, biased variance, with every per-row statistic taken and
     * spread by products with constant ones instead of broadcasts ({@link Rows}).
     *
     * @param rows {@code [R, C]}
     * @return the standardised rows {@code [R, C]} and a column of ones {@code [R, 1]}
     */
    private static Rows standardised(GraphScope scope, SDVariable rows, int columns, double eps) {
        SameDiff sd = scope.sd();
        SDVariable average = sd.constant(Nd4j.ones(scope.dataType(), columns, 1).divi(columns)); // [C, 1]
        SDVariable across = sd.constant(Nd4j.ones(scope.dataType(), 1, columns)); // [1, C]
        SDVariable mean = rows.mmul(average); // [R, 1]
        SDVariable centred = rows.sub(mean.mmul(across));
        SDVariable variance = centred.mul(centred).mmul(average); // [R, 1]
        SDVariable inverse = sd.math.rsqrt(variance.add(eps)); // [R, 1]
        return new Rows(centred.mul(inverse.mmul(across)), sd.onesLike(mean));
    }

    /**
     * Batch normalisation of a feature map per channel, with a learnable gain (ones) and bias (zeros). While
     * training ({@link GraphScope#trainingFlag} = 1) it normalises with the batch's mean and biased variance over
     * {@code (B, h, w)} and updates running averages of the mean and the unbiased variance (PyTorch's
     * {@code BatchNorm2d}); in evaluation (flag 0) it normalises with those running averages. The running
     * averages are {@code <name>/running_mean} and {@code <name>/running_var}, shape {@code [c]}. A batch with a
     * single value per channel ({@code B h w = 1}, where PyTorch refuses to train) has variance 0 rather than the
     * NaN of dividing by {@code n - 1 = 0}, so evaluating one 1x1 map still uses the running averages.
     *
     * @param x {@code [B, c, h, w]}
     * @param momentum weight of each batch in the running averages (PyTorch: 0.1)
     * @return same shape as {@code x}
     */
    public SDVariable batchNorm(GraphScope scope, String name, SDVariable x, int channels, double eps,
                                double momentum) {
        return batchNorm(scope, name, x, channels, eps, momentum, true);
    }

    /**
     * {@link #batchNorm(GraphScope, String, SDVariable, int, double, double)}, with or without the learnable gain
     * and bias ({@code affine = false}: PyTorch's {@code BatchNorm1d(affine=False)}, MoCo v3's last layer).
     *
     * @param x {@code [B, c, h, w]}
     * @return same shape as {@code x}
     */
    public SDVariable batchNorm(GraphScope scope, String name, SDVariable x, int channels, double eps,
                                double momentum, boolean affine) {
        SameDiff sd = scope.sd();
        GraphScope layer = scope.child(name);
        SDVariable flag = scope.trainingFlag(); // [1]
        // the registered batch values must lie on the loss's path, or training would never compute them
        SDVariable batchMean = x.mean(0, 2, 3); // [c]
        SDVariable deviation = x.sub(batchMean.reshape(1, channels, 1, 1));
        // n = B h w values per channel, known only when the graph runs; no gradient flows into it
        SDVariable count = sd.prod(sd.shape(x).castTo(scope.dataType())).div((double) channels);
        SDVariable unbiased = deviation.mul(deviation).sum(0, 2, 3)
                .mul(sd.scalarMax(count.sub(1.0), 1.0).rdiv(1.0)); // [c]
        SDVariable batchVariance = unbiased.mul(count.rdiv(1.0).rsub(1.0)); // biased: (n - 1) / n of it
        SDVariable runningMean = layer.runningAverage("running_mean", layer.init().zeros(channels), batchMean,
                momentum);
        SDVariable runningVariance = layer.runningAverage("running_var", layer.init().ones(channels), unbiased,
                momentum);
        SDVariable evaluation = flag.rsub(1.0);
        SDVariable mean = batchMean.mul(flag).add(runningMean.mul(evaluation)).reshape(1, channels, 1, 1);
        SDVariable variance = batchVariance.mul(flag).add(runningVariance.mul(evaluation));
        SDVariable scale = sd.math.rsqrt(variance.add(eps)).reshape(1, channels, 1, 1);
        SDVariable normalised = x.sub(mean).mul(scale);
        if (!affine) {
            return normalised;
        }
        SDVariable gain = layer.parameter("gain", layer.init().ones(channels)).reshape(1, channels, 1, 1);
        SDVariable shift = layer.parameter("bias", layer.init().zeros(channels)).reshape(1, channels, 1, 1);
        return normalised.mul(gain).add(shift);
    }

    /**
     * A learned tensor that is the same for every image (a class token, slot initialisations), repeated over the
     * batch of {@code tokens}. The batch size is only known when the graph runs, so a zero of the batch's shape is
     * added; the gradient reaching {@code learned} is the sum over the batch.
     *
     * @param learned {@code [1, d]} or {@code [1, k, d]}
     * @param tokens {@code [B, N, d]}, whose batch size is used
     * @return {@code [B, d]} or {@code [B, k, d]}
     */
    public SDVariable repeatPerImage(SameDiff sd, SDVariable learned, SDVariable tokens) {
        int rank = learned.getShape().length;
        if (rank != 2 && rank != 3) {
            throw new IllegalArgumentException("a learned tensor to repeat per image is [1, d] or [1, k, d], not "
                    + Arrays.toString(learned.getShape()));
        }
        SDVariable batchZeros = rank == 2 ? sd.zerosLike(tokens.mean(1)) : sd.zerosLike(tokens.mean(true, 1));
        return batchZeros.add(learned);
    }

    /** Exact GELU {@code 0.5 x (1 + erf(x / sqrt 2))}; any shape. */
    public SDVariable gelu(SameDiff sd, SDVariable x) {
        return x.mul(sd.math.erf(x.mul(1.0 / Math.sqrt(2.0))).add(1.0)).mul(0.5);
    }

    /**
     * Softmax along {@code axis}; any shape. SameDiff's fused op: one pass forward and backward instead of five
     * (max, subtract, exp, sum, divide), and it equals that hand-written stable form to 1e-16 in value and gradient.
     */
    public SDVariable softmax(SameDiff sd, SDVariable x, int axis) {
        return sd.nn.softmax(x, axis);
    }

    /**
     * Numerically stable log-softmax over the classes.
     *
     * @param logits {@code [B, K]}
     * @return {@code [B, K]}
     */
    public SDVariable logSoftmax(SameDiff sd, SDVariable logits) {
        SDVariable shifted = logits.sub(logits.max(true, 1));
        return shifted.sub(sd.math.log(sd.math.exp(shifted).sum(true, 1)));
    }

    /**
     * Per-head weighted sum of tokens: {@code u_b[h] = sum_j a_bhj v_bj[h]}, where head {@code h} owns the
     * channel block {@code [h*d/H, (h+1)*d/H)}.
     *
     * @param weights {@code [B, H, N]}
     * @param values {@code [B, N, d]} with {@code d} divisible by {@code H}
     * @return {@code [B, d]}
     */
    public SDVariable weightedSum(SameDiff sd, SDVariable weights, SDVariable values, int heads, int tokens,
                                  int dim) {
        int headDim = dim / heads;
        SDVariable perHead = sd.permute(values.reshape(-1, tokens, heads, headDim), 0, 2, 1, 3); // [B, H, N, d/H]
        SDVariable rows = sd.expandDims(weights, 2); // [B, H, 1, N]
        return sd.mmul(rows, perHead).reshape(-1, dim); // [B, H, 1, d/H] -> [B, d]
    }

    /**
     * The positions of a CNN feature map as tokens, channels last.
     *
     * @param map {@code [B, c, h, w]} with {@code h w = positions}
     * @return {@code [B, h w, c]}
     */
    public SDVariable tokensOf(SameDiff sd, SDVariable map, int positions, int channels) {
        return sd.permute(map, 0, 2, 3, 1).reshape(-1, positions, channels);
    }

    /**
     * Mean over tokens.
     *
     * @param tokens {@code [B, N, d]}
     * @return {@code [B, d]}
     */
    public SDVariable tokenMean(SDVariable tokens) {
        return tokens.mean(1);
    }
}

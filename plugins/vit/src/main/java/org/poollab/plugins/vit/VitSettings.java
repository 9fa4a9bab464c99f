package org.poollab.plugins.vit;

import org.poollab.api.backbone.Grid;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.param.ParamException;
import org.poollab.api.param.Params;

/**
 * A ViT's configuration, checked against the base input shape.
 *
 * @param input the base image shape (the positional embedding's grid)
 * @param patch patch size
 * @param dim d
 * @param depth blocks
 * @param heads attention heads
 * @param hidden MLP hidden width
 * @param dropPath stochastic depth rate of the last block
 * @param qkvBias bias in the qkv map
 * @param lnEps LayerNorm epsilon
 * @param sinCos fixed 2-D sin-cos positions instead of a learned embedding
 */
record VitSettings(ImageShape input, int patch, int dim, int depth, int heads, int hidden, double dropPath,
                   boolean qkvBias, double lnEps, boolean sinCos) {

    /** {@code positionalEmbedding}: a learned parameter. */
    static final String LEARNED = "learned";
    /** {@code positionalEmbedding}: fixed sin-cos values. */
    static final String SINCOS = "sincos";

    static VitSettings from(Params params, ImageShape input) {
        int patch = params.getInt("patch");
        int dim = params.getInt("dim");
        int heads = params.getIntDividing("heads", dim);
        if (input.height() % patch != 0 || input.width() % patch != 0) {
            throw new ParamException("patch", "is " + patch + " but must divide the image size "
                    + input.height() + "x" + input.width());
        }
        int hidden = (int) Math.round(dim * params.getDouble("mlpRatio"));
        boolean sinCos = params.getChoice("positionalEmbedding").equals(SINCOS);
        if (sinCos && dim % 4 != 0) {
            throw new ParamException("positionalEmbedding", "is sincos, which needs dim divisible by 4 (a sine and "
                    + "a cosine per grid axis), but dim = " + dim);
        }
        return new VitSettings(input, patch, dim, params.getInt("depth"), heads, hidden,
                params.getDouble("dropPath"), params.getBoolean("qkvBias"), params.getDouble("lnEps"), sinCos);
    }

    /** The patch grid of an image of the given shape. */
    Grid grid(ImageShape image) {
        if (image.height() % patch != 0 || image.width() % patch != 0) {
            throw new IllegalArgumentException("image " + image.height() + "x" + image.width()
                    + " is not divisible by the patch size " + patch);
        }
        return new Grid(image.height() / patch, image.width() / patch);
    }

    /** Stochastic depth rate of block {@code index}: linear from 0 to {@code dropPath} (timm, DINO). */
    double dropPathOf(int index) {
        return depth == 1 ? dropPath : dropPath * index / (depth - 1);
    }
}

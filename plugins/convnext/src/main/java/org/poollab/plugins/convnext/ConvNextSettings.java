package org.poollab.plugins.convnext;

import org.poollab.api.backbone.Grid;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.param.ParamException;

/**
 * A ConvNeXt's configuration.
 *
 * @param stem stem patch size
 * @param dim channels of the last stage
 * @param stages number of stages
 * @param depth blocks per stage
 * @param kernel depthwise kernel size
 * @param mlpRatio MLP hidden width / channels
 * @param layerScale initial layer scale
 * @param lnEps LayerNorm epsilon
 */
record ConvNextSettings(int stem, int dim, int stages, int depth, int kernel, double mlpRatio, double layerScale,
                        double lnEps) {

    /** Channels of stage {@code index}: {@code dim / 2^(stages - 1 - index)}. */
    int channels(int index) {
        return dim >> (stages - 1 - index);
    }

    /**
     * The last feature map's grid for an input image.
     *
     * @throws ParamException naming {@code stem} when the image does not divide down
     */
    Grid grid(ImageShape image) {
        int factor = stem << (stages - 1);
        if (image.height() % factor != 0 || image.width() % factor != 0) {
            throw new ParamException("stem", "the image " + image.height() + "x" + image.width() + " must be "
                    + "divisible by stem x 2^(stages - 1) = " + factor + "; change stem or stages");
        }
        return new Grid(image.height() / factor, image.width() / factor);
    }
}

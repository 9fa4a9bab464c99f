package org.poollab.plugins.resnet;

import java.util.List;
import org.poollab.api.backbone.Grid;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.param.ParamException;

/**
 * A ResNet's shape: block type, blocks per stage, widths, stem.
 *
 * @param bottleneck bottleneck blocks (1x1, 3x3, 1x1 with 4x expansion) rather than basic ones (3x3, 3x3)
 * @param blocks blocks in each kept stage
 * @param width channels of the first stage before expansion
 * @param largeStem 7x7 stride-2 conv + 3x3 stride-2 max pool, rather than one 3x3 stride-1 conv
 */
record ResNetLayout(boolean bottleneck, List<Integer> blocks, int width, boolean largeStem) {

    /** The standard depths, in the order a user reads them. */
    static final List<String> DEPTHS = List.of("18", "34", "50", "101", "152");

    /** Channel expansion of a bottleneck block's last convolution. */
    static final int EXPANSION = 4;

    /**
     * The standard layout of {@code depth}, keeping its first {@code stages} stages.
     *
     * @param depth one of {@link #DEPTHS}
     */
    static ResNetLayout of(String depth, int stages, int width, boolean largeStem) {
        List<Integer> all = switch (depth) {
            case "18" -> List.of(2, 2, 2, 2);
            case "34", "50" -> List.of(3, 4, 6, 3);
            case "101" -> List.of(3, 4, 23, 3);
            case "152" -> List.of(3, 8, 36, 3);
            default -> throw new ParamException("depth", "is " + depth + " but must be one of " + DEPTHS);
        };
        return new ResNetLayout(Integer.parseInt(depth) >= 50, all.subList(0, stages), width, largeStem);
    }

    /** Number of stages. */
    int stages() {
        return blocks.size();
    }

    /** Bottleneck (inner) channels of stage {@code index}: {@code width * 2^index}. */
    int planes(int index) {
        return width << index;
    }

    /** Output channels of stage {@code index}. */
    int channels(int index) {
        return planes(index) * (bottleneck ? EXPANSION : 1);
    }

    /** The channels of the last feature map (the token width d). */
    int featureDim() {
        return channels(stages() - 1);
    }

    /**
     * The last feature map's grid: every stride-2 step (large stem: two; each stage after the first: one) maps a
     * side s to ceil(s / 2), as PyTorch's padded convolutions and pooling do.
     *
     * @throws ParamException naming {@code stages} when the map would shrink below 1x1
     */
    Grid grid(ImageShape image) {
        int halvings = (largeStem ? 2 : 0) + stages() - 1;
        int height = image.height();
        int width = image.width();
        for (int i = 0; i < halvings; i++) {
            if (height < 2 || width < 2) {
                throw new ParamException("stages", "the image " + image.height() + "x" + image.width()
                        + " is too small for " + halvings + " stride-2 steps; use fewer stages or stem: small");
            }
            height = (height + 1) / 2;
            width = (width + 1) / 2;
        }
        return new Grid(height, width);
    }
}

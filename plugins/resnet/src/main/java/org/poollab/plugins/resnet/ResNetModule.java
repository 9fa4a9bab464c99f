package org.poollab.plugins.resnet;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.poollab.api.backbone.BackboneModule;
import org.poollab.api.backbone.Features;
import org.poollab.api.backbone.Grid;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;

/** A configured ResNet that adds itself to a graph (NCHW feature maps). */
final class ResNetModule implements BackboneModule {

    private final Layers layers;
    private final ResNetLayout layout;
    private final ResidualBlock blocks;

    ResNetModule(Layers layers, ResNetLayout layout, double bnEps, double bnMomentum) {
        this.layers = layers;
        this.layout = layout;
        this.blocks = new ResidualBlock(layers, bnEps, bnMomentum);
    }

    @Override
    public int featureDim() {
        return layout.featureDim();
    }

    @Override
    public boolean supportsPrefixTokens() {
        return false;
    }

    /**
     * images {@code [B, C, H, W]} -> tokens {@code [B, h w, d]}, one per position of the last feature map; no
     * final norm (the last block ends in batch norm + ReLU).
     */
    @Override
    public Features forward(GraphScope scope, SDVariable images, ImageShape input, List<String> prefixTokens) {
        Grid grid = layout.grid(input);
        SDVariable x = stem(scope, images, input.channels());
        int in = layout.width();
        for (int stage = 0; stage < layout.stages(); stage++) {
            int planes = layout.planes(stage);
            for (int block = 0; block < layout.blocks().get(stage); block++) {
                GraphScope blockScope = scope.child("layer" + (stage + 1) + "." + block);
                int stride = stage > 0 && block == 0 ? 2 : 1;
                x = layout.bottleneck() ? blocks.bottleneck(blockScope, x, in, planes, stride)
                        : blocks.basic(blockScope, x, in, planes, stride);
                in = layout.channels(stage);
            }
        }
        int d = layout.featureDim();
        SDVariable tokens = layers.tokensOf(scope.sd(), x, grid.tokens(), d); // [B, hw, d]
        return new Features(tokens, d, grid, Map.of(), UnaryOperator.identity());
    }

    /**
     * Large: 7x7 stride-2 conv + BN + ReLU + 3x3 stride-2 max pool; small: 3x3 conv + BN + ReLU.
     *
     * @param images {@code [B, C, H, W]}
     * @return {@code [B, width, H', W']}
     */
    private SDVariable stem(GraphScope scope, SDVariable images, int channels) {
        if (!layout.largeStem()) {
            return blocks.convNorm(scope, "conv1", "bn1", images, channels, layout.width(), 3, 1, true);
        }
        SameDiff sd = scope.sd();
        SDVariable x = blocks.convNorm(scope, "conv1", "bn1", images, channels, layout.width(), 7, 2, true);
        return sd.cnn.maxPooling2d(x, Pooling2DConfig.builder().kH(3).kW(3).sH(2).sW(2).pH(1).pW(1)
                .paddingMode(PaddingMode.VALID).isNHWC(false).build());
    }
}

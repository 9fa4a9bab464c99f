package org.poollab.plugins.convnext;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.poollab.api.backbone.BackboneModule;
import org.poollab.api.backbone.Features;
import org.poollab.api.backbone.Grid;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;

/** A configured ConvNeXt that adds itself to a graph (NCHW feature maps). */
final class ConvNextModule implements BackboneModule {

    /** Parameter scopes of a block's MLP: LN, then {@code pwconv1 -> GELU -> pwconv2}. */
    private static final Layers.MlpNames MLP = new Layers.MlpNames("norm", "pwconv1", "pwconv2");

    private final Layers layers;
    private final ConvNextSettings settings;

    ConvNextModule(Layers layers, ConvNextSettings settings) {
        this.layers = layers;
        this.settings = settings;
    }

    @Override
    public int featureDim() {
        return settings.dim();
    }

    @Override
    public boolean supportsPrefixTokens() {
        return false;
    }

    /** images {@code [B, C, H, W]} -> tokens {@code [B, h w, d]}, one per position of the last feature map. */
    @Override
    public Features forward(GraphScope scope, SDVariable images, ImageShape input, List<String> prefixTokens) {
        Grid grid = settings.grid(input);
        int height = input.height() / settings.stem();
        int width = input.width() / settings.stem();
        SDVariable x = patchConv(scope.child("stem"), images, input.channels(), settings.channels(0), settings.stem());
        x = channelNorm(scope, "stem_norm", x, settings.channels(0));
        for (int stage = 0; stage < settings.stages(); stage++) {
            int channels = settings.channels(stage);
            if (stage > 0) {
                x = channelNorm(scope, "down" + stage + ".norm", x, settings.channels(stage - 1));
                x = patchConv(scope.child("down" + stage + ".conv"), x, settings.channels(stage - 1), channels, 2);
                height /= 2;
                width /= 2;
            }
            for (int block = 0; block < settings.depth(); block++) {
                x = block(scope.child("stages." + stage + "." + block), x, channels, height, width);
            }
        }
        int d = settings.dim();
        SDVariable tokens = layers.tokensOf(scope.sd(), x, grid.tokens(), d); // [B, hw, d]
        return new Features(tokens, d, grid, Map.of(),
                pooled -> layers.layerNorm(scope, "norm", pooled, 2, d, settings.lnEps()));
    }

    /**
     * {@code x + gamma * MLP(LN(dwconv(x)))}, the MLP applied at every position.
     *
     * @param x {@code [B, c, h, w]}
     * @return {@code [B, c, h, w]}
     */
    private SDVariable block(GraphScope scope, SDVariable x, int channels, int height, int width) {
        SameDiff sd = scope.sd();
        int k = settings.kernel();
        SDVariable depthwise = scope.parameter("dwconv/W",
                scope.init().truncatedNormal(Layers.WEIGHT_STD, k, k, channels, 1));
        SDVariable bias = scope.parameter("dwconv/b", scope.init().zeros(channels));
        SDVariable mixed = sd.cnn.depthWiseConv2d(x, depthwise, bias, Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1)
                .pH(k / 2).pW(k / 2).paddingMode(PaddingMode.SAME).dataFormat("NCHW").build());
        int positions = height * width;
        SDVariable rows = layers.tokensOf(sd, mixed, positions, channels); // [B, hw, c]
        int hidden = (int) Math.round(channels * settings.mlpRatio());
        SDVariable layerScale = scope.parameter("gamma", scope.init().zeros(channels).addi(settings.layerScale()));
        SDVariable scaled = layers.normalisedMlp(scope, MLP, rows, positions, channels, hidden, settings.lnEps(),
                layerScale); // [B, hw, c]
        SDVariable branch = sd.permute(scaled.reshape(-1, height, width, channels), 0, 3, 1, 2); // [B, c, h, w]
        return x.add(branch);
    }

    /** A stride-p convolution with a p x p kernel ("patchify"): {@code [B, in, h, w] -> [B, out, h/p, w/p]}. */
    private static SDVariable patchConv(GraphScope scope, SDVariable x, int in, int out, int p) {
        SDVariable weight = scope.parameter("W", scope.init().truncatedNormal(Layers.WEIGHT_STD, p, p, in, out));
        SDVariable bias = scope.parameter("b", scope.init().zeros(out));
        return scope.sd().cnn.conv2d(x, weight, bias, Conv2DConfig.builder().kH(p).kW(p).sH(p).sW(p)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build());
    }

    /** LayerNorm over the channels at every position of {@code [B, c, h, w]}. */
    private SDVariable channelNorm(GraphScope scope, String name, SDVariable x, int channels) {
        SameDiff sd = scope.sd();
        SDVariable rows = sd.permute(x, 0, 2, 3, 1); // [B, h, w, c]
        SDVariable normed = layers.layerNorm(scope, name, rows, 4, channels, settings.lnEps());
        return sd.permute(normed, 0, 3, 1, 2);
    }
}

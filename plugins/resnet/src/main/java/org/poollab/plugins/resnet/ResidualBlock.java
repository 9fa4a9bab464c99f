package org.poollab.plugins.resnet;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;

/** The graph pieces of a ResNet: convolution + batch norm units and the two kinds of residual block. */
final class ResidualBlock {

    private final Layers layers;
    private final double bnEps;
    private final double bnMomentum;

    ResidualBlock(Layers layers, double bnEps, double bnMomentum) {
        this.layers = layers;
        this.bnEps = bnEps;
        this.bnMomentum = bnMomentum;
    }

    /**
     * {@code relu(F(x) + shortcut(x))} with F = 3x3 conv (stride) + BN + ReLU + 3x3 conv + BN.
     *
     * @param x {@code [B, in, h, w]}
     * @return {@code [B, planes, ceil(h / stride), ceil(w / stride)]}
     */
    SDVariable basic(GraphScope scope, SDVariable x, int in, int planes, int stride) {
        SDVariable h = convNorm(scope, "conv1", "bn1", x, in, planes, 3, stride, true);
        h = convNorm(scope, "conv2", "bn2", h, planes, planes, 3, 1, false);
        return scope.sd().nn.relu(h.add(shortcut(scope, x, in, planes, stride)), 0);
    }

    /**
     * {@code relu(F(x) + shortcut(x))} with F = 1x1 conv + BN + ReLU + 3x3 conv (stride) + BN + ReLU + 1x1 conv to
     * {@code 4 planes} + BN (the stride on the 3x3 convolution, torchvision's v1.5).
     *
     * @param x {@code [B, in, h, w]}
     * @return {@code [B, 4 planes, ceil(h / stride), ceil(w / stride)]}
     */
    SDVariable bottleneck(GraphScope scope, SDVariable x, int in, int planes, int stride) {
        int out = planes * ResNetLayout.EXPANSION;
        SDVariable h = convNorm(scope, "conv1", "bn1", x, in, planes, 1, 1, true);
        h = convNorm(scope, "conv2", "bn2", h, planes, planes, 3, stride, true);
        h = convNorm(scope, "conv3", "bn3", h, planes, out, 1, 1, false);
        return scope.sd().nn.relu(h.add(shortcut(scope, x, in, out, stride)), 0);
    }

    /** Identity, or a strided 1x1 conv + BN when the shape changes. */
    private SDVariable shortcut(GraphScope scope, SDVariable x, int in, int out, int stride) {
        if (in == out && stride == 1) {
            return x;
        }
        return convNorm(scope, "downsample.conv", "downsample.bn", x, in, out, 1, stride, false);
    }

    /**
     * A bias-free k x k convolution with padding k/2 (PyTorch's), batch norm, and optionally ReLU.
     *
     * @param x {@code [B, in, h, w]}
     * @return {@code [B, out, ceil(h / stride), ceil(w / stride)]}
     */
    SDVariable convNorm(GraphScope scope, String conv, String norm, SDVariable x, int in, int out, int kernel,
                        int stride, boolean relu) {
        SameDiff sd = scope.sd();
        // He initialisation, fan-out mode (torchvision): std = sqrt(2 / (out k k))
        SDVariable weight = scope.parameter(conv + "/W", scope.init().normal(Math.sqrt(2.0 / (out * kernel * kernel)),
                kernel, kernel, in, out));
        SDVariable y = sd.cnn.conv2d(x, weight, Conv2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride)
                .pH(kernel / 2).pW(kernel / 2).paddingMode(PaddingMode.VALID).dataFormat("NCHW").build());
        y = layers.batchNorm(scope, norm, y, out, bnEps, bnMomentum);
        return relu ? sd.nn.relu(y, 0) : y;
    }
}

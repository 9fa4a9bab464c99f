package org.poollab.plugins.convnext;

import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;
import org.poollab.api.backbone.Backbone;
import org.poollab.api.backbone.BackboneModule;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.ParamException;
import org.poollab.api.param.ParamSpec;
import org.poollab.api.param.Params;

/** ConvNeXt-style CNN backbone (docs/method.md §5): its last feature map's positions are the tokens to pool. */
@Extension
public final class ConvNext implements Backbone {

    private final Layers layers;

    /** @param layers shared graph building blocks (LayerNorm with eps, exact GELU, linear maps) */
    @Inject
    public ConvNext(Layers layers) {
        this.layers = layers;
    }

    @Override
    public String id() {
        return "convnext";
    }

    @Override
    public String description() {
        return "ConvNeXt-style CNN: patchify stem, stages of depthwise conv + LayerNorm + MLP blocks (layer scale), "
                + "LayerNorm + 2x2 stride-2 downsampling between stages; final LayerNorm on the pooled vector.";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.intParam("stem", 2, "stem patch size (stride)").min(1),
                ParamSpec.intParam("dim", 96, "channels of the last stage (each earlier stage has half)").min(2),
                ParamSpec.intParam("stages", 2, "stages; the feature map halves between them").min(1).max(4),
                ParamSpec.intParam("depth", 2, "blocks per stage").min(1),
                ParamSpec.intParam("kernel", 7, "depthwise kernel size (odd)").min(1),
                ParamSpec.doubleParam("mlpRatio", 4.0, "MLP hidden width / channels").min(0.25),
                ParamSpec.doubleParam("layerScale", 1e-6, "initial layer scale of each block's branch").min(0),
                ParamSpec.doubleParam("lnEps", 1e-6, "LayerNorm epsilon").min(0));
    }

    @Override
    public Map<String, Map<String, Object>> presets() {
        return Map.of(
                "fmnist-tiny", Map.of("stem", 2, "dim", 64, "stages", 2, "depth", 1, "kernel", 5),
                "fmnist-small", Map.of("stem", 2, "dim", 128, "stages", 2, "depth", 2, "kernel", 7),
                // layer scale 0.5, not 1e-6: branch gradients of 1e-9 are below what finite differences resolve
                TEST_PRESET, Map.of("stem", 2, "dim", 8, "stages", 2, "depth", 1, "kernel", 3, "layerScale", 0.5));
    }

    @Override
    public BackboneModule create(Params params, ImageShape input) {
        int kernel = params.getInt("kernel");
        if (kernel % 2 == 0) {
            throw new ParamException("kernel", "is " + kernel + " but must be odd (same-size depthwise convolution)");
        }
        int dim = params.getInt("dim");
        int stages = params.getInt("stages");
        if (dim % (1 << (stages - 1)) != 0) {
            throw new ParamException("dim", "is " + dim + " but must be divisible by 2^(stages - 1) = "
                    + (1 << (stages - 1)) + " (each earlier stage has half the channels)");
        }
        ConvNextSettings settings = new ConvNextSettings(params.getInt("stem"), dim, stages, params.getInt("depth"),
                kernel, params.getDouble("mlpRatio"), params.getDouble("layerScale"), params.getDouble("lnEps"));
        settings.grid(input); // fails now, naming the parameter, if the image does not fit
        return new ConvNextModule(layers, settings);
    }
}

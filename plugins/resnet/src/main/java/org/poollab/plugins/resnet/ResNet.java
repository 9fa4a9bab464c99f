package org.poollab.plugins.resnet;

import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;
import org.poollab.api.backbone.Backbone;
import org.poollab.api.backbone.BackboneModule;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.ParamSpec;
import org.poollab.api.param.Params;

/** ResNet CNN backbone (docs/method.md §5): its last feature map's positions are the tokens to pool. */
@Extension
public final class ResNet implements Backbone {

    private final Layers layers;

    /** @param layers shared graph building blocks (batch norm with running averages) */
    @Inject
    public ResNet(Layers layers) {
        this.layers = layers;
    }

    @Override
    public String id() {
        return "resnet";
    }

    @Override
    public String description() {
        return "ResNet (torchvision v1.5 layout): stem, stages of basic (depth 18/34) or bottleneck (50/101/152) "
                + "residual blocks with batch norm (running statistics for evaluation); stride 2 between stages.";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.choice("depth", "50", ResNetLayout.DEPTHS,
                        "block type and blocks per stage of the standard ResNets"),
                ParamSpec.intParam("stages", 4, "stages kept (the first ones); channels double at each").min(1).max(4),
                ParamSpec.intParam("width", 64, "channels of the first stage (before the bottleneck expansion)")
                        .min(1),
                ParamSpec.choice("stem", "large", List.of("large", "small"),
                        "large: 7x7 stride-2 conv + 3x3 stride-2 max pool (ImageNet); small: one 3x3 conv, "
                                + "full resolution (28x28 / CIFAR inputs)"),
                ParamSpec.doubleParam("bnEps", 1e-5, "batch norm epsilon").min(0),
                ParamSpec.doubleParam("bnMomentum", 0.1, "batch norm running-average momentum (PyTorch convention)")
                        .min(1e-6).max(1));
    }

    @Override
    public Map<String, Map<String, Object>> presets() {
        return Map.of(
                "resnet18", Map.of("depth", "18"),
                "resnet50", Map.of("depth", "50"),
                "fmnist-tiny", Map.of("depth", "18", "stages", 3, "width", 16, "stem", "small"),
                "fmnist-small", Map.of("depth", "18", "stages", 3, "width", 32, "stem", "small"),
                TEST_PRESET, Map.of("depth", "18", "stages", 2, "width", 4, "stem", "small"));
    }

    @Override
    public BackboneModule create(Params params, ImageShape input) {
        ResNetLayout layout = ResNetLayout.of(params.getChoice("depth"), params.getInt("stages"),
                params.getInt("width"), params.getChoice("stem").equals("large"));
        layout.grid(input); // fails now, naming the parameter, if the image is too small
        return new ResNetModule(layers, layout, params.getDouble("bnEps"), params.getDouble("bnMomentum"));
    }
}

package org.poollab.plugins.vit;

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

/** Vision Transformer backbone (docs/method.md §5); the [CLS] token exists only when a pooling asks for it. */
@Extension
public final class VisionTransformer implements Backbone {

    private final Layers layers;

    /** @param layers shared graph building blocks (exact GELU, LayerNorm with eps) */
    @Inject
    public VisionTransformer(Layers layers) {
        this.layers = layers;
    }

    @Override
    public String id() {
        return "vit";
    }

    @Override
    public String description() {
        return "Vision Transformer: patch embedding, learned positional embedding, pre-norm blocks, final LN.";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.intParam("patch", 4, "patch size in pixels (must divide the image size)").min(1),
                ParamSpec.intParam("dim", 192, "token width d").min(1),
                ParamSpec.intParam("depth", 4, "transformer blocks").min(1),
                ParamSpec.intParam("heads", 3, "attention heads (must divide dim)").min(1),
                ParamSpec.doubleParam("mlpRatio", 4.0, "MLP hidden width / dim").min(0.25),
                ParamSpec.doubleParam("dropPath", 0.0, "stochastic depth rate of the last block (linear in depth)")
                        .min(0).max(0.9),
                ParamSpec.boolParam("qkvBias", true, "bias in the query/key/value map"),
                ParamSpec.doubleParam("lnEps", 1e-6, "LayerNorm epsilon").min(0),
                ParamSpec.choice("positionalEmbedding", VitSettings.LEARNED, List.of(VitSettings.LEARNED,
                        VitSettings.SINCOS), "learned (timm, DINO; resized bicubically for other grids) or fixed "
                        + "2-D sin-cos (MoCo v3; dim divisible by 4)"));
    }

    @Override
    public Map<String, Map<String, Object>> presets() {
        return Map.of(
                "tiny", Map.of("patch", 16, "dim", 192, "depth", 12, "heads", 3, "dropPath", 0.1),
                "small", Map.of("patch", 16, "dim", 384, "depth", 12, "heads", 6, "dropPath", 0.1),
                "fmnist-tiny", Map.of("patch", 4, "dim", 64, "depth", 3, "heads", 2),
                "fmnist-small", Map.of("patch", 4, "dim", 128, "depth", 4, "heads", 4),
                "fmnist-dino", Map.of("patch", 4, "dim", 192, "depth", 4, "heads", 3),
                TEST_PRESET, Map.of("patch", 4, "dim", 8, "depth", 1, "heads", 2));
    }

    @Override
    public BackboneModule create(Params params, ImageShape input) {
        return new VisionTransformerModule(layers, VitSettings.from(params, input));
    }
}

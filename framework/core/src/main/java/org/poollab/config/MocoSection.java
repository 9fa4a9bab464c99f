package org.poollab.config;

import java.util.List;

/** Reads {@code trainer.mocov3}. */
final class MocoSection {

    /** The backbone the reference's ViT settings are for; others get its ResNet settings. */
    private static final String VIT = "vit";

    private MocoSection() {
    }

    /** @param backboneId picks the reference's defaults: ViT (tau 0.2, 3-layer projector) or ResNet (1.0, 2) */
    static MocoConfig read(ConfigNode node, String backboneId) {
        boolean vit = backboneId.equals(VIT);
        MocoConfig config = new MocoConfig(
                node.number("momentum", 0.99, 0, 1),
                node.number("temperature", vit ? 0.2 : 1.0, 1e-4, 100),
                node.integer("projectorLayers", vit ? 3 : 2, 1, 8),
                node.integer("predictorLayers", 2, 1, 8),
                node.integer("hiddenDim", 1024, 1, 65_536),
                node.integer("outDim", 256, 1, 65_536),
                node.bool("freezePatchEmbedding", false),
                node.interval("cropScale", List.of(0.08, 1.0), 0.01, 1),
                AugmentationSection.read(node.section("augmentation")));
        node.rejectUnknownKeys();
        return config;
    }
}

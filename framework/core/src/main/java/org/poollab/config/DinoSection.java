package org.poollab.config;

import java.util.List;

/** Reads {@code trainer.dino}; the defaults are the Fashion-MNIST preset (docs/method.md §6). */
final class DinoSection {

    private DinoSection() {
    }

    static DinoConfig read(ConfigNode node) {
        DinoConfig config = DinoConfig.builder()
                .localCrops(node.integer("localCrops", 6, 0, 64))
                .localSize(node.integer("localSize", 12, 4, 4096))
                .globalScale(node.interval("globalScale", List.of(0.4, 1.0), 0.01, 1))
                .localScale(node.interval("localScale", List.of(0.05, 0.4), 0.01, 1))
                .hiddenDim(node.integer("hiddenDim", 512, 1, 65_536))
                .bottleneckDim(node.integer("bottleneckDim", 256, 1, 65_536))
                .outDim(node.integer("outDim", 1024, 2, 1 << 20))
                .normLastLayer(node.bool("normLastLayer", true))
                .studentTemp(node.number("studentTemp", 0.1, 1e-4, 100))
                .teacherTemp(node.number("teacherTemp", 0.07, 1e-4, 100))
                .warmupTeacherTemp(node.number("warmupTeacherTemp", 0.04, 1e-4, 100))
                .teacherTempWarmupFraction(node.number("teacherTempWarmupFraction", 1.0 / 3, 0, 1))
                .momentum(node.number("momentum", 0.996, 0, 1))
                .centerMomentum(node.number("centerMomentum", 0.9, 0, 1))
                .freezeLastLayerEpochs(node.integer("freezeLastLayerEpochs", 1, 0, 10_000))
                .augmentation(AugmentationSection.read(node.section("augmentation")))
                .build();
        node.rejectUnknownKeys();
        return config;
    }
}

package org.poollab.config;

import java.util.List;

/** Reads {@code trainer.dino}; the defaults are docs/method.md §6's Fashion-MNIST preset. */
final class DinoSection {

    private DinoSection() {
    }

    static DinoConfig read(ConfigNode node) {
        int localCrops = node.integer("localCrops", 6, 0, 64);
        int localSize = node.integer("localSize", 12, 4, 4096);
        List<Double> globalScale = node.interval("globalScale", List.of(0.4, 1.0), 0.01, 1);
        List<Double> localScale = node.interval("localScale", List.of(0.05, 0.4), 0.01, 1);
        int hiddenDim = node.integer("hiddenDim", 512, 1, 65_536);
        int bottleneckDim = node.integer("bottleneckDim", 256, 1, 65_536);
        int outDim = node.integer("outDim", 1024, 2, 1 << 20);
        boolean normLastLayer = node.bool("normLastLayer", true);
        double studentTemp = node.number("studentTemp", 0.1, 1e-4, 100);
        double teacherTemp = node.number("teacherTemp", 0.07, 1e-4, 100);
        double warmupTeacherTemp = node.number("warmupTeacherTemp", 0.04, 1e-4, 100);
        double warmupFraction = node.number("teacherTempWarmupFraction", 1.0 / 3, 0, 1);
        double momentum = node.number("momentum", 0.996, 0, 1);
        double centerMomentum = node.number("centerMomentum", 0.9, 0, 1);
        int freeze = node.integer("freezeLastLayerEpochs", 1, 0, 10_000);
        AugmentationConfig augmentation = AugmentationSection.read(node.section("augmentation"));
        node.rejectUnknownKeys();
        return new DinoConfig(localCrops, localSize, globalScale, localScale, hiddenDim, bottleneckDim, outDim,
                normLastLayer, studentTemp, teacherTemp, warmupTeacherTemp, warmupFraction, momentum,
                centerMomentum, freeze, augmentation);
    }
}

package org.poollab.config;

import java.util.List;

/** Reads the photometric augmentations of a self-supervised trainer ({@code trainer.dino.augmentation}, ...). */
final class AugmentationSection {

    private AugmentationSection() {
    }

    /** DINO's and MoCo v3's values (they agree), with the blur's sigma scaled for 28-pixel views. */
    static AugmentationConfig read(ConfigNode node) {
        AugmentationConfig config = new AugmentationConfig(
                node.bool("flip", true),
                node.number("brightness", 0.4, 0, 1),
                node.number("contrast", 0.4, 0, 1),
                node.number("saturation", 0.2, 0, 1),
                node.number("hue", 0.1, 0, 0.5),
                node.number("jitterProbability", 0.8, 0, 1),
                node.number("grayscaleProbability", 0.2, 0, 1),
                node.numberList("blurProbability", List.of(1.0, 0.1, 0.5), 3, 0, 1),
                node.interval("blurSigma", List.of(0.1, 1.0), 0.01, 100),
                node.number("solarizeProbability", 0.2, 0, 1));
        node.rejectUnknownKeys();
        return config;
    }
}

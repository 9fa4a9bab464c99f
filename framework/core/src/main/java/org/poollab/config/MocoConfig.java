package org.poollab.config;

import java.util.List;

/**
 * MoCo v3's own settings (docs/mocov3.md; Chen, Xie and He, ICCV 2021); the defaults are the Fashion-MNIST preset's,
 * with the reference's recipe where it applies.
 *
 * @param momentum the momentum encoder's EMA momentum at the first step (cosine to 1)
 * @param temperature tau of the contrastive loss (reference: 0.2 for ViT, 1.0 for ResNet)
 * @param projectorLayers linear layers of the projection MLP (reference: 3 for ViT, 2 for ResNet)
 * @param predictorLayers linear layers of the prediction MLP (2)
 * @param hiddenDim width of the MLPs' hidden layers (reference: 4096)
 * @param outDim width of the projection and prediction outputs (reference: 256)
 * @param freezePatchEmbedding keep the ViT's patch projection at its random Xavier-uniform initialisation
 * @param cropScale area range of both views' random resized crops
 * @param augmentation the two views' augmentations (asymmetric blur and solarisation, as DINO's global views)
 */
public record MocoConfig(double momentum, double temperature, int projectorLayers, int predictorLayers,
                         int hiddenDim, int outDim, boolean freezePatchEmbedding, List<Double> cropScale,
                         AugmentationConfig augmentation) {

    /** Copies the list. */
    public MocoConfig {
        cropScale = List.copyOf(cropScale);
    }
}

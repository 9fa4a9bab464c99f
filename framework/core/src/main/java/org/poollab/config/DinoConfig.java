package org.poollab.config;

import java.util.List;

/**
 * DINO's own settings (docs/method.md §6 "DINO"); the defaults are the Fashion-MNIST preset.
 *
 * @param localCrops L, the number of local crops per image
 * @param localSize side of a local crop in pixels
 * @param globalScale area range of a global crop, as a fraction of the image
 * @param localScale area range of a local crop
 * @param hiddenDim width of the head's hidden MLP layers
 * @param bottleneckDim width of the head's bottleneck before the L2 normalisation
 * @param outDim K, the number of prototypes
 * @param normLastLayer whether the weight-normalised last layer keeps its norm fixed at 1
 * @param studentTemp tau_s
 * @param teacherTemp tau_t after its warm-up
 * @param warmupTeacherTemp tau_t at the first step
 * @param teacherTempWarmupFraction share of all steps over which tau_t rises linearly
 * @param momentum the teacher's EMA momentum at the first step (cosine to 1)
 * @param centerMomentum EMA momentum of the centre
 * @param freezeLastLayerEpochs epochs during which the head's last layer is not updated
 * @param augmentation the multi-crop augmentations
 */
public record DinoConfig(int localCrops, int localSize, List<Double> globalScale, List<Double> localScale,
                         int hiddenDim, int bottleneckDim, int outDim, boolean normLastLayer, double studentTemp,
                         double teacherTemp, double warmupTeacherTemp, double teacherTempWarmupFraction,
                         double momentum, double centerMomentum, int freezeLastLayerEpochs,
                         AugmentationConfig augmentation) {

    /** Copies the lists. */
    public DinoConfig {
        globalScale = List.copyOf(globalScale);
        localScale = List.copyOf(localScale);
    }
}

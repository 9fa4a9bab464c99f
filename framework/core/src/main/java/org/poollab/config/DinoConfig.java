package org.poollab.config;

import java.util.ArrayList;
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

    /** A builder naming every field, so that no two values of one type can be swapped silently. */
    public static Builder builder() {
        return new Builder();
    }

    /** Sets every field by name; {@link #build} refuses to build with any left unset. */
    public static final class Builder {

        private Integer localCrops;
        private Integer localSize;
        private List<Double> globalScale;
        private List<Double> localScale;
        private Integer hiddenDim;
        private Integer bottleneckDim;
        private Integer outDim;
        private Boolean normLastLayer;
        private Double studentTemp;
        private Double teacherTemp;
        private Double warmupTeacherTemp;
        private Double teacherTempWarmupFraction;
        private Double momentum;
        private Double centerMomentum;
        private Integer freezeLastLayerEpochs;
        private AugmentationConfig augmentation;

        private Builder() {
        }

        /** @param value see {@link DinoConfig#localCrops} */
        public Builder localCrops(int value) {
            this.localCrops = value;
            return this;
        }

        /** @param value see {@link DinoConfig#localSize} */
        public Builder localSize(int value) {
            this.localSize = value;
            return this;
        }

        /** @param value see {@link DinoConfig#globalScale} */
        public Builder globalScale(List<Double> value) {
            this.globalScale = value;
            return this;
        }

        /** @param value see {@link DinoConfig#localScale} */
        public Builder localScale(List<Double> value) {
            this.localScale = value;
            return this;
        }

        /** @param value see {@link DinoConfig#hiddenDim} */
        public Builder hiddenDim(int value) {
            this.hiddenDim = value;
            return this;
        }

        /** @param value see {@link DinoConfig#bottleneckDim} */
        public Builder bottleneckDim(int value) {
            this.bottleneckDim = value;
            return this;
        }

        /** @param value see {@link DinoConfig#outDim} */
        public Builder outDim(int value) {
            this.outDim = value;
            return this;
        }

        /** @param value see {@link DinoConfig#normLastLayer} */
        public Builder normLastLayer(boolean value) {
            this.normLastLayer = value;
            return this;
        }

        /** @param value see {@link DinoConfig#studentTemp} */
        public Builder studentTemp(double value) {
            this.studentTemp = value;
            return this;
        }

        /** @param value see {@link DinoConfig#teacherTemp} */
        public Builder teacherTemp(double value) {
            this.teacherTemp = value;
            return this;
        }

        /** @param value see {@link DinoConfig#warmupTeacherTemp} */
        public Builder warmupTeacherTemp(double value) {
            this.warmupTeacherTemp = value;
            return this;
        }

        /** @param value see {@link DinoConfig#teacherTempWarmupFraction} */
        public Builder teacherTempWarmupFraction(double value) {
            this.teacherTempWarmupFraction = value;
            return this;
        }

        /** @param value see {@link DinoConfig#momentum} */
        public Builder momentum(double value) {
            this.momentum = value;
            return this;
        }

        /** @param value see {@link DinoConfig#centerMomentum} */
        public Builder centerMomentum(double value) {
            this.centerMomentum = value;
            return this;
        }

        /** @param value see {@link DinoConfig#freezeLastLayerEpochs} */
        public Builder freezeLastLayerEpochs(int value) {
            this.freezeLastLayerEpochs = value;
            return this;
        }

        /** @param value see {@link DinoConfig#augmentation} */
        public Builder augmentation(AugmentationConfig value) {
            this.augmentation = value;
            return this;
        }

        /**
         * @throws IllegalStateException naming the fields left unset
         */
        public DinoConfig build() {
            List<String> unset = new ArrayList<>();
            if (localCrops == null) {
                unset.add("localCrops");
            }
            if (localSize == null) {
                unset.add("localSize");
            }
            if (globalScale == null) {
                unset.add("globalScale");
            }
            if (localScale == null) {
                unset.add("localScale");
            }
            if (hiddenDim == null) {
                unset.add("hiddenDim");
            }
            if (bottleneckDim == null) {
                unset.add("bottleneckDim");
            }
            if (outDim == null) {
                unset.add("outDim");
            }
            if (normLastLayer == null) {
                unset.add("normLastLayer");
            }
            if (studentTemp == null) {
                unset.add("studentTemp");
            }
            if (teacherTemp == null) {
                unset.add("teacherTemp");
            }
            if (warmupTeacherTemp == null) {
                unset.add("warmupTeacherTemp");
            }
            if (teacherTempWarmupFraction == null) {
                unset.add("teacherTempWarmupFraction");
            }
            if (momentum == null) {
                unset.add("momentum");
            }
            if (centerMomentum == null) {
                unset.add("centerMomentum");
            }
            if (freezeLastLayerEpochs == null) {
                unset.add("freezeLastLayerEpochs");
            }
            if (augmentation == null) {
                unset.add("augmentation");
            }
            if (!unset.isEmpty()) {
                throw new IllegalStateException("DinoConfig needs " + String.join(", ", unset));
            }
            return new DinoConfig(localCrops, localSize, globalScale, localScale, hiddenDim, bottleneckDim, outDim,
                    normLastLayer, studentTemp, teacherTemp, warmupTeacherTemp, teacherTempWarmupFraction, momentum,
                    centerMomentum, freezeLastLayerEpochs, augmentation);
        }
    }
}

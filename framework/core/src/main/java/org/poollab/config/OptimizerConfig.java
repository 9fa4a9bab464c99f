package org.poollab.config;

import java.util.ArrayList;
import java.util.List;

/**
 * AdamW with a cosine learning-rate schedule after a linear warm-up and a cosine weight-decay schedule.
 *
 * @param lr peak learning rate
 * @param minLr final learning rate of the cosine
 * @param weightDecay decoupled weight decay (AdamW) at the first step, not applied to biases, norms and 1-d
 *     parameters
 * @param weightDecayEnd weight decay at the last step (cosine from weightDecay; equal for a constant decay)
 * @param warmupFraction share of all steps spent in the linear warm-up
 * @param clipGrad maximum L2 norm of each parameter's gradient; 0 disables clipping
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param eps Adam's epsilon
 */
public record OptimizerConfig(double lr, double minLr, double weightDecay, double weightDecayEnd,
                              double warmupFraction, double clipGrad,
                              double beta1, double beta2, double eps) {

    /** A builder naming every field, so that no two values of one type can be swapped silently. */
    public static Builder builder() {
        return new Builder();
    }

    /** Sets every field by name; {@link #build} refuses to build with any left unset. */
    public static final class Builder {

        private Double lr;
        private Double minLr;
        private Double weightDecay;
        private Double weightDecayEnd;
        private Double warmupFraction;
        private Double clipGrad;
        private Double beta1;
        private Double beta2;
        private Double eps;

        private Builder() {
        }

        /** @param value see {@link OptimizerConfig#lr} */
        public Builder lr(double value) {
            this.lr = value;
            return this;
        }

        /** @param value see {@link OptimizerConfig#minLr} */
        public Builder minLr(double value) {
            this.minLr = value;
            return this;
        }

        /** @param value see {@link OptimizerConfig#weightDecay} */
        public Builder weightDecay(double value) {
            this.weightDecay = value;
            return this;
        }

        /** @param value see {@link OptimizerConfig#weightDecayEnd} */
        public Builder weightDecayEnd(double value) {
            this.weightDecayEnd = value;
            return this;
        }

        /** @param value see {@link OptimizerConfig#warmupFraction} */
        public Builder warmupFraction(double value) {
            this.warmupFraction = value;
            return this;
        }

        /** @param value see {@link OptimizerConfig#clipGrad} */
        public Builder clipGrad(double value) {
            this.clipGrad = value;
            return this;
        }

        /** @param value see {@link OptimizerConfig#beta1} */
        public Builder beta1(double value) {
            this.beta1 = value;
            return this;
        }

        /** @param value see {@link OptimizerConfig#beta2} */
        public Builder beta2(double value) {
            this.beta2 = value;
            return this;
        }

        /** @param value see {@link OptimizerConfig#eps} */
        public Builder eps(double value) {
            this.eps = value;
            return this;
        }

        /**
         * @throws IllegalStateException naming the fields left unset
         */
        public OptimizerConfig build() {
            List<String> unset = new ArrayList<>();
            if (lr == null) {
                unset.add("lr");
            }
            if (minLr == null) {
                unset.add("minLr");
            }
            if (weightDecay == null) {
                unset.add("weightDecay");
            }
            if (weightDecayEnd == null) {
                unset.add("weightDecayEnd");
            }
            if (warmupFraction == null) {
                unset.add("warmupFraction");
            }
            if (clipGrad == null) {
                unset.add("clipGrad");
            }
            if (beta1 == null) {
                unset.add("beta1");
            }
            if (beta2 == null) {
                unset.add("beta2");
            }
            if (eps == null) {
                unset.add("eps");
            }
            if (!unset.isEmpty()) {
                throw new IllegalStateException("OptimizerConfig needs " + String.join(", ", unset));
            }
            return new OptimizerConfig(lr, minLr, weightDecay, weightDecayEnd, warmupFraction, clipGrad, beta1, beta2,
                    eps);
        }
    }
}

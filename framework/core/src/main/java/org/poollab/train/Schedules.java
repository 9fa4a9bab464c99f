package org.poollab.train;

import org.poollab.config.OptimizerConfig;
import org.poollab.schedule.Schedule;

/**
 * The optimiser's per-step schedules.
 *
 * @param learningRate the learning rate per global step
 * @param weightDecay the decoupled weight decay per global step
 */
public record Schedules(Schedule learningRate, Schedule weightDecay) {

    /**
     * Linear warm-up then cosine for the learning rate (peak {@code lr * lrScale}), cosine from weightDecay to
     * weightDecayEnd for the decay.
     *
     * @param lrScale multiplies lr and minLr (DINO: batch / 256)
     */
    public static Schedules of(OptimizerConfig optimizer, int totalSteps, double lrScale) {
        Schedule lr = Schedule.cosineWithWarmup(optimizer.lr() * lrScale, optimizer.minLr(), totalSteps,
                (int) Math.round(totalSteps * optimizer.warmupFraction()));
        return new Schedules(lr, Schedule.cosine(optimizer.weightDecay(), optimizer.weightDecayEnd(), totalSteps));
    }
}

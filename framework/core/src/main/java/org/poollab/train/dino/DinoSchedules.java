package org.poollab.train.dino;

import org.poollab.config.DinoConfig;
import org.poollab.config.TrainerConfig;
import org.poollab.schedule.Schedule;
import org.poollab.train.Schedules;

/**
 * Every DINO schedule as an array over global steps (docs/method.md §6): learning rate (warm-up to {@code lr *
 * batch/256}, cosine to minLr), weight decay (cosine), teacher momentum (cosine to 1) and teacher temperature (linear
 * warm-up, then flat).
 *
 * @param optimizer learning rate and weight decay
 * @param momentum the teacher's EMA momentum
 * @param teacherTemp tau_t
 */
record DinoSchedules(Schedules optimizer, Schedule momentum, Schedule teacherTemp) {

    static DinoSchedules of(TrainerConfig trainer, int totalSteps) {
        DinoConfig dino = trainer.dino();
        Schedules optimizer = Schedules.of(trainer.optimizer(), totalSteps, trainer.batchSize() / 256.0);
        Schedule momentum = Schedule.cosine(dino.momentum(), 1.0, totalSteps);
        Schedule teacherTemp = Schedule.linearThenConstant(dino.warmupTeacherTemp(), dino.teacherTemp(),
                (int) Math.round(totalSteps * dino.teacherTempWarmupFraction()), totalSteps);
        return new DinoSchedules(optimizer, momentum, teacherTemp);
    }
}

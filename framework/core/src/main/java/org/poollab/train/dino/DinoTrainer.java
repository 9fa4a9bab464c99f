package org.poollab.train.dino;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.poollab.api.graph.Layers;
import org.poollab.config.ExperimentConfig;
import org.poollab.config.TrainerConfig;
import org.poollab.config.TrainerKind;
import org.poollab.console.ProgressBar;
import org.poollab.data.BackgroundBatches;
import org.poollab.data.TrainingBatches;
import org.poollab.data.augment.MultiCropBatch;
import org.poollab.eval.Evaluation;
import org.poollab.train.PairedTraining;
import org.poollab.train.StepLog;
import org.poollab.train.Trainer;
import org.poollab.train.TrainingRun;

/**
 * DINO (docs/method.md §6): the student learns, over all multi-crop views, to match the centred and sharpened teacher
 * on the other global view; the teacher follows the student by EMA. No labels are read for training; k-NN on the
 * teacher's backbone + pooling features judges the run. A checkpoint is written at every epoch end.
 */
public final class DinoTrainer implements Trainer {

    private final Layers layers;
    private final PrintStream progress;

    /**
     * @param layers graph building blocks
     * @param progress where progress bars go
     */
    public DinoTrainer(Layers layers, PrintStream progress) {
        this.layers = layers;
        this.progress = progress;
    }

    @Override
    public TrainerKind kind() {
        return TrainerKind.DINO;
    }

    @Override
    public Map<String, Double> train(TrainingRun run) throws InterruptedException {
        ExperimentConfig config = run.config();
        int stepsPerEpoch = TrainingBatches.stepsPerEpoch(run.data().train().size(), config.trainer().batchSize());
        DinoPair pair = DinoPair.build(run.spec(), layers, config, run.spec().input(), stepsPerEpoch,
                config.trainer().replicaCount(Math.min(config.trainer().batchSize(), run.data().train().size())));
        return PairedTraining.run(run, pair, new Evaluation(config, progress), stepsPerEpoch,
                (epoch, batches) -> runEpoch(pair, run, epoch, batches));
    }

    /** One epoch with a progress bar and the health metrics every {@code logEvery} steps. */
    private void runEpoch(DinoPair pair, TrainingRun run, int epoch, BackgroundBatches<MultiCropBatch> batches)
            throws InterruptedException {
        TrainerConfig trainer = run.config().trainer();
        int steps = batches.steps();
        ProgressBar bar = new ProgressBar(progress, "dino epoch " + (epoch + 1) + "/" + trainer.epochs(), steps);
        StepLog log = new StepLog(run.observer(), trainer.logEvery());
        int start = epoch * steps;
        int first = start + batches.first();
        long[] images = {0};
        pair.run(first, start + steps - first, batches, (step, loss, batchImages, targets, momentum) -> {
            images[0] += batchImages;
            double entropy = TeacherCentre.meanEntropy(targets);
            bar.update(step - start + 1, images[0], String.format(Locale.ROOT, "loss %.4f H(t) %.3f", loss,
                    entropy));
            log.after(step, batchImages, step == start + steps - 1,
                    () -> health(pair, step, loss, entropy, momentum));
        });
    }

    private static Map<String, Double> health(DinoPair pair, int step, double loss, double entropy,
                                              double momentum) {
        DinoSchedules schedules = pair.schedules();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", loss);
        metrics.put("teacher_entropy", entropy);
        metrics.put("kl_teacher_student", loss - entropy);
        metrics.put("center_norm", pair.centre().norm());
        metrics.put("lr", schedules.optimizer().learningRate().at(step));
        metrics.put("wd", schedules.optimizer().weightDecay().at(step));
        metrics.put("momentum", momentum);
        metrics.put("teacher_temp", schedules.teacherTemp().at(step));
        return metrics;
    }
}

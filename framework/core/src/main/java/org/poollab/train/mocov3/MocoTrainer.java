package org.poollab.train.mocov3;

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
 * MoCo v3 (docs/mocov3.md): two augmented views per image; the base encoder's queries learn to pick, among the
 * batch's keys, the momentum encoder's key of the other view. No labels are read for training; k-NN on the momentum
 * encoder's backbone + pooling judges the run. A checkpoint is written at every epoch end.
 */
public final class MocoTrainer implements Trainer {

    private final Layers layers;
    private final PrintStream progress;

    /**
     * @param layers graph building blocks
     * @param progress where progress bars go
     */
    public MocoTrainer(Layers layers, PrintStream progress) {
        this.layers = layers;
        this.progress = progress;
    }

    @Override
    public TrainerKind kind() {
        return TrainerKind.MOCOV3;
    }

    @Override
    public Map<String, Double> train(TrainingRun run) throws InterruptedException {
        ExperimentConfig config = run.config();
        int stepsPerEpoch = TrainingBatches.stepsPerEpoch(run.data().train().size(), config.trainer().batchSize());
        MocoPair pair = MocoPair.build(run.spec(), layers, config, run.spec().input(), stepsPerEpoch);
        return PairedTraining.run(run, pair, new Evaluation(config, progress), stepsPerEpoch,
                (epoch, batches) -> runEpoch(pair, run, epoch, batches));
    }

    /** One epoch with a progress bar and the health metrics every {@code logEvery} steps. */
    private void runEpoch(MocoPair pair, TrainingRun run, int epoch, BackgroundBatches<MultiCropBatch> batches)
            throws InterruptedException {
        TrainerConfig trainer = run.config().trainer();
        int steps = batches.steps();
        ProgressBar bar = new ProgressBar(progress, "mocov3 epoch " + (epoch + 1) + "/" + trainer.epochs(), steps);
        StepLog log = new StepLog(run.observer(), trainer.logEvery());
        int start = epoch * steps;
        int first = start + batches.first();
        long[] images = {0};
        pair.run(first, start + steps - first, batches, (step, loss, batchImages, outputs, momentum) -> {
            images[0] += batchImages;
            bar.update(step - start + 1, images[0], String.format(Locale.ROOT, "loss %.4f", loss));
            log.after(step, batchImages, step == start + steps - 1, () -> {
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("loss", loss);
                metrics.put("contrastive_accuracy", ContrastiveHealth.accuracy(outputs));
                metrics.put("output_std", ContrastiveHealth.normalisedStd(outputs.queries().get(0)));
                metrics.put("lr", pair.optimizerSchedules().learningRate().at(step));
                metrics.put("wd", pair.optimizerSchedules().weightDecay().at(step));
                metrics.put("momentum", momentum);
                return metrics;
            });
        });
    }
}

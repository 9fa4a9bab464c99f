package org.poollab.bench;

import java.util.List;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.poollab.config.ExperimentConfig;
import org.poollab.data.BackgroundBatches;
import org.poollab.data.Batch;
import org.poollab.data.ImageSet;
import org.poollab.data.Preprocessing;
import org.poollab.data.TrainingBatches;
import org.poollab.model.ModelGraph;
import org.poollab.train.Schedules;
import org.poollab.train.StepSource;
import org.poollab.train.SupervisedTrainer;
import org.poollab.train.TrainingGraph;

/** Supervised steps: classifier head and cross-entropy on the model (or on its replicas), AdamW. */
public final class SupervisedStepTimer implements StepTimer {

    private final ExperimentConfig config;
    private final ModelGraph model;
    private final ImageSet train;
    private final TrainingGraph training;
    private int globalStep;

    /**
     * @param replicas the model's replicas ({@code trainer.replicas} of them; the first is timed for inference)
     * @param totalSteps every step this timer will run (sets the schedules)
     */
    public SupervisedStepTimer(SupervisedTrainer trainer, ExperimentConfig config, List<ModelGraph> replicas,
                               ImageSet train, int totalSteps) {
        this.config = config;
        this.model = replicas.get(0);
        this.train = train;
        this.training = trainer.prepare(replicas, train.classes(), config.trainer().optimizer(),
                Schedules.of(config.trainer().optimizer(), totalSteps, 1));
    }

    @Override
    public double[] time(int batchSize, int warmup, int steps, Runnable warmupDone) throws InterruptedException {
        double[] seconds = new double[steps];
        Preprocessing augmenting = Preprocessing.of(config.data(), train.channels(), true);
        try (BackgroundBatches<Batch> batches = TrainingBatches.epoch(train, augmenting, batchSize,
                config.trainer().labelSmoothing(), model.stochasticInputs(), config.seed(), batchSize, 0)) {
            int first = globalStep;
            int available = Math.min(warmup + steps, batches.steps());
            StepClock clock = new StepClock(first, warmup, seconds, warmupDone);
            training.run(first, available, new StepSource() {
                @Override
                public MultiDataSet inputs(int step) throws InterruptedException {
                    Batch batch = batches.next();
                    return new MultiDataSet(SupervisedTrainer.features(model, batch), new INDArray[] {batch.targets()});
                }

                @Override
                public void done(int step, double loss) {
                    clock.finished(step);
                }
            });
            globalStep += available;
        }
        return seconds;
    }

    @Override
    public SameDiff graph() {
        return model.sd();
    }
}

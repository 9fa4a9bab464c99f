package org.poollab.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.api.graph.Precision;
import org.poollab.config.ExperimentConfig;
import org.poollab.config.OptimizerConfig;
import org.poollab.config.TrainerConfig;
import org.poollab.config.TrainerKind;
import org.poollab.console.ProgressBar;
import org.poollab.data.BackgroundBatches;
import org.poollab.data.Batch;
import org.poollab.data.ImageSet;
import org.poollab.data.Preprocessing;
import org.poollab.data.TrainingBatches;
import org.poollab.eval.Evaluation;
import org.poollab.model.MatrixUnits;
import org.poollab.model.ModelGraph;

/**
 * Supervised training (docs/method.md §6): backbone + pooling + linear head, softmax cross-entropy with label
 * smoothing, AdamW with a per-step cosine schedule after warm-up, gradient clipping; k-NN evaluation on the features.
 */
public final class SupervisedTrainer implements Trainer {

    private static final String TARGETS = "targets";
    /** Checkpoint group of the trained parameters (backbone, pooling and head). */
    public static final String MODEL = "model";

    private final Layers layers;
    private final PrintStream progress;

    /**
     * @param layers graph building blocks (head, log-softmax)
     * @param progress where progress bars go
     */
    public SupervisedTrainer(Layers layers, PrintStream progress) {
        this.layers = layers;
        this.progress = progress;
    }

    @Override
    public TrainerKind kind() {
        return TrainerKind.SUPERVISED;
    }

    @Override
    public Map<String, Double> train(TrainingRun run) throws InterruptedException {
        ExperimentConfig config = run.config();
        ImageSet train = run.data().train();
        TrainingObserver observer = run.observer();
        Nd4j.getRandom().setSeed(config.seed());
        TrainerConfig trainer = config.trainer();
        List<ModelGraph> replicas = new ArrayList<>();
        Precision precision = MatrixUnits.effective(trainer.precision());
        for (int r = 0; r < trainer.replicaCount(Math.min(trainer.batchSize(), train.size())); r++) {
            replicas.add(ModelGraph.build(run.spec(), DataType.FLOAT, config.seed(), precision));
        }
        ModelGraph model = replicas.get(0); // read, checkpointed and evaluated
        int stepsPerEpoch = TrainingBatches.stepsPerEpoch(train.size(), trainer.batchSize());
        Schedules schedules = Schedules.of(trainer.optimizer(), stepsPerEpoch * trainer.epochs(), 1);
        TrainingGraph training = prepare(replicas, train.classes(), trainer.optimizer(), schedules);
        Preprocessing augmenting = Preprocessing.of(config.data(), train.channels(), true);
        Evaluation evaluation = new Evaluation(config, progress);
        run.resumeFrom().ifPresent(checkpoint -> training.restore(checkpoint, MODEL));
        return EpochLoop.run(run, evaluation, stepsPerEpoch, new EpochLoop.Epochs() {
            @Override
            public void train(int epoch, int first) throws InterruptedException {
                try (BackgroundBatches<Batch> batches = TrainingBatches.epoch(train, augmenting,
                        trainer.batchSize(), trainer.labelSmoothing(), model.stochasticInputs(), config.seed(),
                        epoch, first)) {
                    runEpoch(training, model, batches, epoch, trainer, schedules, observer);
                }
            }

            @Override
            public Map<String, Map<String, INDArray>> state() {
                Map<String, Map<String, INDArray>> state = new LinkedHashMap<>();
                state.put(MODEL, training.weights());
                state.put(TrainingGraph.OPTIMIZER, training.optimizerState());
                return state;
            }

            @Override
            public ModelGraph evaluatedModel() {
                return model;
            }
        });
    }

    /**
     * Adds the linear head and the label-smoothed cross-entropy to the model and installs AdamW. The training
     * step then takes features {@code [images [B, C, H, W], stochastic masks...]} and labels
     * {@code [targets [B, classes]]} (see {@link #features}).
     */
    public TrainingGraph prepare(ModelGraph model, int classes, OptimizerConfig optimizer, Schedules schedules) {
        return prepare(List.of(model), classes, optimizer, schedules);
    }

    /**
     * As {@link #prepare(ModelGraph, int, OptimizerConfig, Schedules)} on replicas of the model, which split each
     * step's images between them.
     */
    public TrainingGraph prepare(List<ModelGraph> replicas, int classes, OptimizerConfig optimizer,
                                 Schedules schedules) {
        String perSample = null;
        List<GraphScope> scopes = new ArrayList<>();
        for (ModelGraph replica : replicas) {
            perSample = addClassifierLoss(replica, classes).name(); // the same name in graphs built alike
            scopes.add(replica.scope());
        }
        List<String> featureNames = new ArrayList<>(List.of(ModelGraph.IMAGES));
        replicas.get(0).stochasticInputs().forEach(input -> featureNames.add(input.placeholder()));
        return new TrainingGraph(scopes, TrainingGraph.ROWS_OF_FIRST_FEATURE, featureNames, List.of(TARGETS),
                perSample, optimizer, schedules, Freeze.NONE, Set.of());
    }

    /** A batch as the feature arrays of {@link #prepare}'s training graph. */
    public static INDArray[] features(ModelGraph model, Batch batch) {
        INDArray[] features = new INDArray[1 + model.stochasticInputs().size()];
        features[0] = batch.images();
        for (int i = 1; i < features.length; i++) {
            features[i] = batch.randomInputs().get(model.stochasticInputs().get(i - 1).placeholder());
        }
        return features;
    }

    private void runEpoch(TrainingGraph training, ModelGraph model, BackgroundBatches<Batch> batches, int epoch,
                          TrainerConfig trainer, Schedules schedules, TrainingObserver observer)
            throws InterruptedException {
        int steps = batches.steps();
        ProgressBar bar = new ProgressBar(progress, "epoch " + (epoch + 1) + "/" + trainer.epochs(), steps);
        StepLog log = new StepLog(observer, trainer.logEvery());
        int start = epoch * steps;
        int first = start + batches.first();
        training.run(first, start + steps - first, new StepSource() {
            private Batch current;
            private long images;

            @Override
            public MultiDataSet inputs(int step) throws InterruptedException {
                current = batches.next();
                return new MultiDataSet(features(model, current), new INDArray[] {current.targets()});
            }

            @Override
            public void done(int step, double loss) {
                double lr = schedules.learningRate().at(step);
                images += current.size();
                bar.update(step - start + 1, images, String.format(Locale.ROOT, "loss %.4f lr %.2e", loss, lr));
                log.after(step, current.size(), step == start + steps - 1, () -> Map.of("loss", loss, "lr", lr));
            }
        });
    }

    /**
     * Linear head on the features and the per-sample cross-entropy {@code -sum_k target_bk log softmax(logits)_bk}.
     *
     * @return the per-sample loss {@code [B]}
     */
    private SDVariable addClassifierLoss(ModelGraph model, int classes) {
        SameDiff sd = model.sd();
        SDVariable logits = layers.linear(model.scope().child("head"), "fc", model.features(), model.featureDim(),
                classes, true);
        SDVariable targets = sd.placeHolder(TARGETS, model.scope().dataType(), -1, classes);
        SDVariable logProbabilities = layers.logSoftmax(sd, logits);
        return targets.mul(logProbabilities).sum(1).neg();
    }
}

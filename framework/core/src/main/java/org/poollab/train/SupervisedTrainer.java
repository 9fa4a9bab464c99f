package org.poollab.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.poollab.api.graph.Layers;
import org.poollab.config.ExperimentConfig;
import org.poollab.config.TrainerConfig;
import org.poollab.data.Batch;
import org.poollab.data.ImageDataset;
import org.poollab.data.Preprocessing;
import org.poollab.data.TrainingBatches;
import org.poollab.eval.FeatureExtractor;
import org.poollab.eval.KnnEvaluator;
import org.poollab.model.ModelGraph;

/**
 * Supervised training (SPEC §6): backbone + pooling + linear head, softmax cross-entropy with label smoothing,
 * AdamW with a per-step cosine schedule after warm-up, gradient clipping; k-NN evaluation on the features.
 */
public final class SupervisedTrainer {

    private static final String TARGETS = "targets";

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

    /**
     * Trains and evaluates.
     *
     * @return the final evaluation metrics
     * @throws NonFiniteLossException if the loss stops being finite
     */
    public Map<String, Double> train(ModelGraph model, ImageDataset train, ImageDataset test, ExperimentConfig config,
                                     TrainingObserver observer) throws InterruptedException {
        TrainerConfig trainer = config.trainer();
        SDVariable perSample = addClassifierLoss(model, train.classes());
        String loss = perSample.mean().name();
        int stepsPerEpoch = TrainingBatches.stepsPerEpoch(train.size(), trainer.batchSize());
        int totalSteps = stepsPerEpoch * trainer.epochs();
        Schedule lr = Schedule.cosineWithWarmup(trainer.optimizer().lr(), trainer.optimizer().minLr(), totalSteps,
                (int) Math.round(totalSteps * trainer.optimizer().warmupFraction()));
        StepClock clock = new StepClock();
        List<String> featureNames = new ArrayList<>(List.of(ModelGraph.IMAGES));
        model.stochasticInputs().forEach(input -> featureNames.add(input.placeholder()));
        Optimizer.install(model.sd(), featureNames, List.of(TARGETS), loss, trainer.optimizer(), lr, clock);

        Preprocessing augmenting = preprocessing(config, true);
        Map<String, Double> last = Map.of();
        for (int epoch = 0; epoch < trainer.epochs(); epoch++) {
            try (TrainingBatches batches = new TrainingBatches(train, augmenting, trainer.batchSize(),
                    trainer.labelSmoothing(), model.stochasticInputs(), config.seed(), epoch)) {
                runEpoch(model.sd(), batches, featureNames, perSample.name(), epoch, trainer, lr, clock, observer);
            }
            boolean finalEpoch = epoch == trainer.epochs() - 1;
            if (finalEpoch || (epoch + 1) % config.eval().everyEpochs() == 0) {
                last = evaluate(model, train, test, config);
                observer.onEvaluation(epoch + 1, last);
            }
        }
        return last;
    }

    private void runEpoch(SameDiff sd, TrainingBatches batches, List<String> featureNames, String perSampleLoss,
                          int epoch,
                          TrainerConfig trainer, Schedule lr, StepClock clock, TrainingObserver observer)
            throws InterruptedException {
        int steps = batches.steps();
        ProgressBar bar = new ProgressBar(progress, "epoch " + (epoch + 1) + "/" + trainer.epochs(), steps);
        long images = 0;
        long windowStart = System.nanoTime();
        long windowImages = 0;
        LossCapture capture = new LossCapture(perSampleLoss);
        for (int i = 0; i < steps; i++) {
            int step = epoch * steps + i;
            clock.set(step);
            Batch batch = batches.next();
            sd.fit(toMultiDataSet(batch, featureNames), capture);
            double loss = capture.last();
            if (!Double.isFinite(loss)) {
                throw new NonFiniteLossException(step, loss);
            }
            images += batch.size();
            windowImages += batch.size();
            bar.update(i + 1, images, loss, lr.at(step));
            if ((step + 1) % trainer.logEvery() == 0 || i == steps - 1) {
                double seconds = (System.nanoTime() - windowStart) / 1e9;
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("loss", loss);
                metrics.put("lr", lr.at(step));
                metrics.put("img_per_s", windowImages / Math.max(seconds, 1e-9));
                observer.onStep(step + 1, metrics);
                windowStart = System.nanoTime();
                windowImages = 0;
            }
        }
    }

    private static MultiDataSet toMultiDataSet(Batch batch, List<String> featureNames) {
        INDArray[] features = new INDArray[featureNames.size()];
        features[0] = batch.images();
        for (int i = 1; i < features.length; i++) {
            features[i] = batch.randomInputs().get(featureNames.get(i));
        }
        return new MultiDataSet(features, new INDArray[] {batch.targets()});
    }

    /**
     * Linear head on the features and the per-sample cross-entropy {@code -sum_k target_bk log softmax(logits)_bk};
     * the training loss is its mean over the batch.
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

    private static Map<String, Double> evaluate(ModelGraph model, ImageDataset train, ImageDataset test,
                                                ExperimentConfig config) {
        Preprocessing plain = preprocessing(config, false);
        int batch = config.eval().batchSize();
        INDArray trainFeatures = FeatureExtractor.extract(model, train, plain, batch);
        INDArray testFeatures = FeatureExtractor.extract(model, test, plain, batch);
        KnnEvaluator knn = new KnnEvaluator(config.eval().k(), config.eval().temperature(),
                config.eval().memoryBudgetMb() * 1024L * 1024L);
        return knn.evaluate(trainFeatures, train.labels(), testFeatures, test.labels(), train.classes());
    }

    private static Preprocessing preprocessing(ExperimentConfig config, boolean augment) {
        return new Preprocessing(config.data().mean(), config.data().std(),
                augment ? config.data().cropPadding() : 0, augment && config.data().flip());
    }
}

package org.poollab.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.data.BackgroundBatches;
import org.poollab.data.ImageSet;
import org.poollab.data.augment.MultiCropBatch;
import org.poollab.eval.Evaluation;
import org.poollab.model.ModelGraph;

/**
 * The epoch loop of the self-supervised methods, which train one graph and keep a momentum copy of it (DINO's
 * student and teacher, MoCo v3's base and momentum encoders): resume from the checkpoint's state, one epoch of
 * multi-view batches at a time, a checkpoint of every state group after each, k-NN on the momentum copy.
 */
public final class PairedTraining {

    /** What such a method provides to the loop. */
    public interface Pair {

        /**
         * One epoch's batches from its step {@code first}, prepared in the background (the same seed and epoch give
         * the same views).
         */
        BackgroundBatches<MultiCropBatch> batches(ImageSet train, int epoch, int batchSize, int first);

        /** Every array an exact checkpoint needs, by checkpoint group, in the order they are written. */
        Map<String, Map<String, INDArray>> state();

        /**
         * Continues from a checkpoint of {@link #state}.
         *
         * @throws org.poollab.data.DataException naming the first array that is missing or does not fit
         */
        void restore(Checkpoint checkpoint);

        /** The backbone + pooling k-NN judges and attention maps are drawn from (the momentum copy). */
        ModelGraph evaluatedModel();
    }

    /** One epoch of a method's steps, with its own progress line and health metrics. */
    @FunctionalInterface
    public interface Epoch {

        /** Runs epoch {@code epoch} (0-based) over {@code batches}, from their first step. */
        void run(int epoch, BackgroundBatches<MultiCropBatch> batches) throws InterruptedException;
    }

    private PairedTraining() {
    }

    /**
     * Trains the run's remaining epochs ({@link EpochLoop}).
     *
     * @param stepsPerEpoch optimiser steps in one epoch (the checkpoints' step counter)
     * @return the last evaluation's metrics
     */
    public static Map<String, Double> run(TrainingRun run, Pair pair, Evaluation evaluation, int stepsPerEpoch,
                                          Epoch epoch) throws InterruptedException {
        ImageSet train = run.data().train();
        int batchSize = run.config().trainer().batchSize();
        run.resumeFrom().ifPresent(pair::restore);
        return EpochLoop.run(run, evaluation, stepsPerEpoch, new EpochLoop.Epochs() {
            @Override
            public void train(int index, int first) throws InterruptedException {
                try (BackgroundBatches<MultiCropBatch> batches = pair.batches(train, index, batchSize, first)) {
                    epoch.run(index, batches);
                }
            }

            @Override
            public Map<String, Map<String, INDArray>> state() {
                return pair.state();
            }

            @Override
            public ModelGraph evaluatedModel() {
                return pair.evaluatedModel();
            }
        });
    }
}

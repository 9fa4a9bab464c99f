package org.poollab.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.eval.Evaluation;
import org.poollab.model.ModelGraph;

/**
 * The epoch loop every trainer shares: from where the run stands (0, or a resumed checkpoint's epoch and step),
 * train an epoch, write its checkpoint, log its wall time ({@code epoch_minutes}, training and checkpoint), evaluate
 * every {@code eval.everyEpochs} epochs and after the last, and log the attention grid at the end. A process asked
 * to end ({@link StepBoundaryStop}) gets a checkpoint of the step it stopped after.
 */
public final class EpochLoop {

    /** The metric of an epoch's wall time in minutes (training and checkpoint, no evaluation). */
    public static final String EPOCH_MINUTES = "epoch_minutes";

    /** What a trainer does in the loop. */
    public interface Epochs {

        /**
         * Trains epoch {@code epoch} (0-based) from its step {@code first} (0, or where a resumed run stopped).
         *
         * @throws TrainingStoppedException if the process is ending, after the step in flight
         */
        void train(int epoch, int first) throws InterruptedException;

        /** Every array an exact checkpoint needs, by checkpoint group, in the order they are written. */
        Map<String, Map<String, INDArray>> state();

        /** The model whose features k-NN judges (DINO: the teacher). */
        ModelGraph evaluatedModel();
    }

    private EpochLoop() {
    }

    /**
     * Runs the remaining epochs of the run.
     *
     * @param stepsPerEpoch optimiser steps in one epoch (the checkpoints' step counter)
     * @return the last evaluation's metrics
     * @throws TrainingStoppedException if the process is ending, once the checkpoint of its last step is written
     */
    public static Map<String, Double> run(TrainingRun run, Evaluation evaluation, int stepsPerEpoch, Epochs epochs)
            throws InterruptedException {
        int total = run.config().trainer().epochs();
        int first = RunCheckpoints.firstEpoch(run);
        int firstStep = run.resumeFrom().map(RunCheckpoints::stepsIntoEpoch).orElse(0);
        Map<String, Double> last = Map.of();
        if (first > 0 && firstStep == 0 && evaluates(run, first) && !RunCheckpoints.evaluated(run, first)) {
            // Stopped during this epoch's evaluation: the checkpoint holds exactly the model it was evaluating.
            last = evaluate(run, evaluation, epochs, first);
        }
        StepBoundaryStop stop = StepBoundaryStop.process();
        for (int epoch = first; epoch < total; epoch++) {
            long start = System.nanoTime();
            stop.enter(); // from here to the epoch's checkpoint, a stop waits for a checkpoint; in evaluation it does not
            try {
                try {
                    epochs.train(epoch, epoch == first ? firstStep : 0);
                } catch (TrainingStoppedException stopped) {
                    throw checkpointed(run, epochs, stepsPerEpoch, stopped.nextStep());
                }
                Path file = RunCheckpoints.write(run, checkpoint(run, epochs, epoch + 1, 0, stepsPerEpoch), epoch + 1,
                        0);
                run.observer().onEpochMetrics(epoch + 1, Map.of(EPOCH_MINUTES, (System.nanoTime() - start) / 6e10));
                if (stop.requested()) { // asked while the epoch's checkpoint was being written
                    throw saved(run, file, (epoch + 1) * stepsPerEpoch);
                }
            } finally {
                stop.leave();
            }
            if (evaluates(run, epoch + 1)) {
                last = evaluate(run, evaluation, epochs, epoch + 1);
            }
        }
        if (last.isEmpty()) { // resumed after the last epoch's evaluation: the final metrics are needed again
            last = evaluate(run, evaluation, epochs, total);
        }
        AttentionArtifact.log(evaluation, epochs.evaluatedModel(), run.data().test(), run.checkpoints(),
                run.observer());
        return last;
    }

    /** Writes the checkpoint of a run stopped before global step {@code nextStep}, and says so to the stop. */
    private static TrainingStoppedException checkpointed(TrainingRun run, Epochs epochs, int stepsPerEpoch,
                                                         int nextStep) {
        int epochsDone = nextStep / stepsPerEpoch;
        int stepsInto = nextStep % stepsPerEpoch;
        Path file = RunCheckpoints.write(run, checkpoint(run, epochs, epochsDone, stepsInto, stepsPerEpoch),
                epochsDone, stepsInto);
        return saved(run, file, nextStep);
    }

    private static TrainingStoppedException saved(TrainingRun run, Path file, int nextStep) {
        String written = file + "; 'poollab resume " + run.checkpoints().getFileName() + "' continues from it";
        StepBoundaryStop.process().saved("wrote " + written);
        return new TrainingStoppedException(nextStep, Optional.of(written));
    }

    private static Checkpoint checkpoint(TrainingRun run, Epochs epochs, int epochsDone, int stepsInto,
                                         int stepsPerEpoch) {
        Checkpoint checkpoint = RunCheckpoints.start(run, epochsDone, stepsInto, epochsDone * stepsPerEpoch
                + stepsInto);
        epochs.state().forEach(checkpoint::arrays);
        return checkpoint;
    }

    /** Whether the run evaluates after {@code epochsDone} epochs: every {@code eval.everyEpochs}, and the last. */
    private static boolean evaluates(TrainingRun run, int epochsDone) {
        return epochsDone == run.config().trainer().epochs() || epochsDone % run.config().eval().everyEpochs() == 0;
    }

    private static Map<String, Double> evaluate(TrainingRun run, Evaluation evaluation, Epochs epochs,
                                                int epochsDone) {
        Map<String, Double> metrics = evaluation.evaluate(epochs.evaluatedModel(), run.data().train(),
                run.data().test());
        run.observer().onEpochMetrics(epochsDone, metrics);
        RunCheckpoints.markEvaluated(run, epochsDone);
        return metrics;
    }
}

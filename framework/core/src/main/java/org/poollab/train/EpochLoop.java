package org.poollab.train;

import java.util.Map;
import org.poollab.eval.Evaluation;
import org.poollab.model.ModelGraph;

/**
 * The epoch loop every trainer shares: from the first epoch not yet done (resume), train an epoch, write its
 * checkpoint, log its wall time ({@code epoch_minutes}, training and checkpoint), evaluate every
 * {@code eval.everyEpochs} epochs and after the last, and log the attention grid at the end.
 */
public final class EpochLoop {

    /** The metric of an epoch's wall time in minutes (training and checkpoint, no evaluation). */
    public static final String EPOCH_MINUTES = "epoch_minutes";

    /** What a trainer does in the loop. */
    public interface Epochs {

        /** Trains epoch {@code epoch} (0-based). */
        void train(int epoch) throws InterruptedException;

        /** The checkpoint of the state after epoch {@code epoch} (0-based) ended. */
        Checkpoint checkpoint(int epoch);

        /** The model whose features k-NN judges (DINO: the teacher). */
        ModelGraph evaluatedModel();
    }

    private EpochLoop() {
    }

    /**
     * Runs the remaining epochs of the run.
     *
     * @return the last evaluation's metrics
     */
    public static Map<String, Double> run(TrainingRun run, Evaluation evaluation, Epochs epochs)
            throws InterruptedException {
        int total = run.config().trainer().epochs();
        int first = RunCheckpoints.firstEpoch(run);
        Map<String, Double> last = Map.of();
        if (first > 0 && evaluates(run, first) && !RunCheckpoints.evaluated(run, first)) {
            // Stopped during this epoch's evaluation: the checkpoint holds exactly the model it was evaluating.
            last = evaluate(run, evaluation, epochs, first);
        }
        for (int epoch = first; epoch < total; epoch++) {
            long start = System.nanoTime();
            epochs.train(epoch);
            RunCheckpoints.write(run, epochs.checkpoint(epoch), epoch + 1);
            run.observer().onEpochMetrics(epoch + 1, Map.of(EPOCH_MINUTES, (System.nanoTime() - start) / 6e10));
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

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
        int everyEpochs = run.config().eval().everyEpochs();
        Map<String, Double> last = Map.of();
        for (int epoch = RunCheckpoints.firstEpoch(run); epoch < total; epoch++) {
            long start = System.nanoTime();
            epochs.train(epoch);
            RunCheckpoints.write(run, epochs.checkpoint(epoch), epoch + 1);
            run.observer().onEpochMetrics(epoch + 1, Map.of(EPOCH_MINUTES, (System.nanoTime() - start) / 6e10));
            if (epoch == total - 1 || (epoch + 1) % everyEpochs == 0) {
                last = evaluate(run, evaluation, epochs, epoch + 1);
            }
        }
        if (last.isEmpty()) { // resumed after the last epoch's checkpoint: only the evaluation was missing
            last = evaluate(run, evaluation, epochs, total);
        }
        AttentionArtifact.log(evaluation, epochs.evaluatedModel(), run.data().test(), run);
        return last;
    }

    private static Map<String, Double> evaluate(TrainingRun run, Evaluation evaluation, Epochs epochs,
                                                int epochsDone) {
        Map<String, Double> metrics = evaluation.evaluate(epochs.evaluatedModel(), run.data().train(),
                run.data().test());
        run.observer().onEpochMetrics(epochsDone, metrics);
        return metrics;
    }
}

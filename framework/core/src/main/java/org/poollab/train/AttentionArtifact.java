package org.poollab.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.poollab.data.ImageSet;
import org.poollab.eval.Evaluation;
import org.poollab.model.ModelGraph;

/** Stores the attention grid of a trained model with its run (poolings without a map store nothing). */
public final class AttentionArtifact {

    /** Where the grid goes among the run's artifacts (a per-head grid, if any, goes beside it). */
    public static final String PATH = "attention/attention-grid.png";
    private static final String FOLDER = "attention/";
    private static final int IMAGES = 32;

    private AttentionArtifact() {
    }

    /**
     * Renders the first test images with the model's maps into {@code folder} and hands the PNGs to the run's
     * observer (MLflow stores the grid as {@value #PATH}, a per-head grid as {@code attention-grid-heads.png}).
     *
     * @param folder the run's own folder (its checkpoints' for a training run)
     */
    public static void log(Evaluation evaluation, ModelGraph model, ImageSet test, Path folder,
                           TrainingObserver observer) {
        Path png = folder.resolve("attention-grid.png");
        try {
            for (Path written : evaluation.attentionGrid(model, test, IMAGES, png)) {
                observer.onArtifact(written, FOLDER + written.getFileName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the attention grid " + png + ": " + e.getMessage(), e);
        }
    }
}

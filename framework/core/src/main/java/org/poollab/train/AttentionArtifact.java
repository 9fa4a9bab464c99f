package org.poollab.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.poollab.data.ImageDataset;
import org.poollab.eval.Evaluation;
import org.poollab.model.ModelGraph;

/** Stores the attention grid of a trained model with its run (poolings without a map store nothing). */
public final class AttentionArtifact {

    /** Where the grid goes among the run's artifacts. */
    public static final String PATH = "attention/attention-grid.png";
    private static final int IMAGES = 32;

    private AttentionArtifact() {
    }

    /**
     * Renders the first test images with the model's maps into the run's folder and hands the PNG to the run's
     * observer (MLflow stores it as {@value #PATH}).
     */
    public static void log(Evaluation evaluation, ModelGraph model, ImageDataset test, TrainingRun run) {
        Path png = run.checkpoints().resolve("attention-grid.png");
        try {
            if (evaluation.attentionGrid(model, test, IMAGES, png)) {
                run.observer().onArtifact(png, PATH);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the attention grid " + png + ": " + e.getMessage(), e);
        }
    }
}

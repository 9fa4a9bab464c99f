package org.poollab.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.data.ImageDataset;
import org.poollab.data.Preprocessing;
import org.poollab.model.ModelGraph;
import org.poollab.train.ProgressBar;

/**
 * A model's attention maps over a data set: their mean {@link AttentionJaccard} (foreground = pixel > 0) and a PNG
 * grid of the first images with their maps.
 */
public final class AttentionQuality {

    /** The metric's name in MLflow. */
    public static final String METRIC = "attention_jaccard";

    private final int batchSize;
    private final PrintStream progress;

    /**
     * @param batchSize images per forward pass
     * @param progress where the progress bar goes
     */
    public AttentionQuality(int batchSize, PrintStream progress) {
        this.batchSize = batchSize;
        this.progress = progress;
    }

    /** @return the mean Jaccard in percent, or nothing when the pooling has no attention map */
    public Map<String, Double> evaluate(ModelGraph model, ImageDataset data, Preprocessing preprocessing) {
        if (model.attention().isEmpty()) {
            return Map.of();
        }
        double sum = 0;
        ProgressBar bar = new ProgressBar(progress, "attention maps", (data.size() + batchSize - 1) / batchSize);
        for (int start = 0, done = 1; start < data.size(); start += batchSize, done++) {
            int rows = Math.min(batchSize, data.size() - start);
            double[][] maps = maps(model, data, preprocessing, start, rows);
            for (int r = 0; r < rows; r++) {
                sum += AttentionJaccard.jaccard(maps[r], model.grid().height(), model.grid().width(),
                        foreground(data, start + r), data.height(), data.width());
            }
            bar.update(done, start + rows, "");
        }
        return Map.of(METRIC, 100 * sum / data.size());
    }

    /**
     * Writes the first {@code count} images of {@code data} with their maps as a PNG grid.
     *
     * @return false (and writes nothing) when the pooling has no attention map
     */
    public boolean render(ModelGraph model, ImageDataset data, Preprocessing preprocessing, int count, Path png)
            throws IOException {
        if (model.attention().isEmpty()) {
            return false;
        }
        int rows = Math.min(count, data.size());
        double[][] maps = maps(model, data, preprocessing, 0, rows);
        List<float[]> images = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            float[] grey = new float[data.height() * data.width()];
            for (int i = 0; i < grey.length; i++) {
                grey[i] = data.pixel(r, i / data.width(), i % data.width()) / 255f;
            }
            images.add(grey);
        }
        BufferedImage grid = new AttentionRenderer(4, 8).render(images, Arrays.asList(maps), data.height(),
                data.width(), model.grid().height(), model.grid().width());
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(grid, "png", png.toFile());
        return true;
    }

    /** Attention maps {@code [rows, N]} of images {@code [start, start + rows)} in evaluation mode. */
    private static double[][] maps(ModelGraph model, ImageDataset data, Preprocessing preprocessing, int start,
                                   int rows) {
        String map = model.attention().orElseThrow().name();
        Map<String, INDArray> inputs = model.evaluationInputs(preprocessing.images(data, start, rows));
        return model.sd().output(inputs, map).get(map).toDoubleMatrix();
    }

    /** Fashion-MNIST's free segmentation: objects on a black background, so foreground = pixel > 0. */
    private static boolean[] foreground(ImageDataset data, int index) {
        boolean[] mask = new boolean[data.height() * data.width()];
        for (int y = 0; y < data.height(); y++) {
            for (int x = 0; x < data.width(); x++) {
                mask[y * data.width() + x] = data.pixel(index, y, x) > 0;
            }
        }
        return mask;
    }
}

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
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.console.ProgressBar;
import org.poollab.data.EvaluationBatch;
import org.poollab.data.ImageSet;
import org.poollab.data.Preprocessing;
import org.poollab.data.Sample;
import org.poollab.model.ModelGraph;

/**
 * A model's attention maps over a data set: their mean {@link AttentionJaccard} with the data set's object masks,
 * and PNG grids of the first images with their maps (and, for multi-head maps, with each head's).
 */
public final class AttentionQuality {

    /** Images in the per-head grid. */
    static final int HEAD_ROWS = 8;

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

    /**
     * @return the mean Jaccard in percent, or nothing when the pooling has no attention map or the data set has no
     *         object masks
     */
    public Map<String, Double> evaluate(ModelGraph model, ImageSet data, Preprocessing preprocessing) {
        if (model.attention().isEmpty() || !data.hasMasks()) {
            return Map.of();
        }
        double sum = 0;
        ProgressBar bar = new ProgressBar(progress, "attention maps", (data.size() + batchSize - 1) / batchSize);
        for (int start = 0, done = 1; start < data.size(); start += batchSize, done++) {
            int rows = Math.min(batchSize, data.size() - start);
            EvaluationBatch batch = preprocessing.evaluationBatch(data, start, rows);
            double[][] maps = maps(model, model.attention().orElseThrow(), batch).toDoubleMatrix();
            for (int r = 0; r < rows; r++) {
                Sample view = batch.views().get(r);
                sum += AttentionJaccard.jaccard(maps[r], model.grid().height(), model.grid().width(), view.mask(),
                        view.height(), view.width());
            }
            bar.update(done, start + rows, "");
        }
        return Map.of(METRIC, 100 * sum / data.size());
    }

    /**
     * Writes the first {@code count} images of {@code data} with their maps as a PNG grid of 8 per row; for a
     * multi-head map also {@code <png name>-heads.png}: the first {@value #HEAD_ROWS} images, one per row, with
     * the averaged map and then each head's.
     *
     * @return the PNGs written; none when the pooling has no attention map
     */
    public List<Path> render(ModelGraph model, ImageSet data, Preprocessing preprocessing, int count, Path png)
            throws IOException {
        if (model.attention().isEmpty()) {
            return List.of();
        }
        int rows = Math.min(count, data.size());
        EvaluationBatch batch = preprocessing.evaluationBatch(data, 0, rows);
        double[][] maps = maps(model, model.attention().orElseThrow(), batch).toDoubleMatrix();
        List<float[]> images = batch.views().stream().map(Sample::planes).toList();
        int size = preprocessing.size();
        write(new AttentionRenderer(4, 8).render(images, Arrays.asList(maps), data.channels(), size, size,
                model.grid().height(), model.grid().width()), png);
        if (model.headAttention().isEmpty()) {
            return List.of(png);
        }
        int headRows = Math.min(HEAD_ROWS, rows);
        // The same batch: its first rows are the images of the per-head grid, prepared (decoded) once.
        INDArray heads = maps(model, model.headAttention().orElseThrow(), batch);
        int headCount = (int) heads.size(1);
        List<float[]> tiles = new ArrayList<>();
        List<double[]> tileMaps = new ArrayList<>();
        for (int r = 0; r < headRows; r++) {
            tiles.add(images.get(r));
            tileMaps.add(maps[r]);
            for (int h = 0; h < headCount; h++) {
                tiles.add(images.get(r));
                tileMaps.add(heads.slice(r).slice(h).toDoubleVector());
            }
        }
        Path headsPng = png.resolveSibling(png.getFileName().toString().replaceFirst("\\.png$", "") + "-heads.png");
        write(new AttentionRenderer(4, 1 + headCount).render(tiles, tileMaps, data.channels(), size, size,
                model.grid().height(), model.grid().width()), headsPng);
        return List.of(png, headsPng);
    }

    private static void write(BufferedImage image, Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
    }

    /**
     * A map output of a batch in evaluation mode.
     *
     * @param map {@code [B, N]} or {@code [B, H, N]}
     * @return {@code [rows, N]} or {@code [rows, H, N]}
     */
    private static INDArray maps(ModelGraph model, SDVariable map, EvaluationBatch batch) {
        Map<String, INDArray> inputs = model.evaluationInputs(batch.images());
        return model.sd().output(inputs, map.name()).get(map.name());
    }
}

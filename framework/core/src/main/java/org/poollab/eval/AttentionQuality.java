package org.poollab.eval;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.data.ImageDataset;
import org.poollab.data.Preprocessing;
import org.poollab.data.StochasticMasks;
import org.poollab.model.ModelGraph;
import org.poollab.train.ProgressBar;

/** The mean {@link AttentionJaccard} of a model's attention maps over a data set, foreground = pixel > 0. */
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
        String map = model.attention().get().name();
        int h = data.height();
        int w = data.width();
        double sum = 0;
        ProgressBar bar = new ProgressBar(progress, "attention maps", (data.size() + batchSize - 1) / batchSize);
        for (int start = 0, done = 1; start < data.size(); start += batchSize, done++) {
            int rows = Math.min(batchSize, data.size() - start);
            float[] pixels = new float[rows * h * w];
            for (int r = 0; r < rows; r++) {
                preprocessing.write(data, start + r, pixels, r * h * w, null);
            }
            Map<String, INDArray> inputs = new HashMap<>(StochasticMasks.evaluation(model.stochasticInputs(),
                    input -> rows));
            inputs.put(ModelGraph.IMAGES, Nd4j.create(pixels, new long[] {rows, 1, h, w}, 'c'));
            double[][] maps = model.sd().output(inputs, map).get(map).toDoubleMatrix(); // [rows, N]
            for (int r = 0; r < rows; r++) {
                sum += AttentionJaccard.jaccard(maps[r], model.grid().height(), model.grid().width(),
                        foreground(data, start + r), h, w);
            }
            bar.update(done, start + rows, "");
        }
        return Map.of(METRIC, 100 * sum / data.size());
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

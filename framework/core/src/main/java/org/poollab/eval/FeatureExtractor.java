package org.poollab.eval;

import java.io.PrintStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.poollab.data.EvaluationBatch;
import org.poollab.data.ImageSet;
import org.poollab.data.Preprocessing;
import org.poollab.model.ModelGraph;
import org.poollab.train.ProgressBar;

/** Runs a model in evaluation mode (no augmentation, every stochastic-depth branch kept) over a data set. */
public final class FeatureExtractor {

    private final int batchSize;
    private final PrintStream progress;

    /**
     * @param batchSize images per forward pass
     * @param progress where the progress bar goes
     */
    public FeatureExtractor(int batchSize, PrintStream progress) {
        this.batchSize = batchSize;
        this.progress = progress;
    }

    /**
     * @param label names the data set on the progress bar
     * @return the model's features {@code [n, d]} in data set order, with the labels of the samples they were
     *         computed from
     */
    public Features extract(ModelGraph model, ImageSet data, Preprocessing preprocessing, String label) {
        int n = data.size();
        INDArray out = Nd4j.create(DataType.FLOAT, n, model.featureDim());
        int[] labels = new int[n];
        String name = model.features().name();
        ProgressBar bar = new ProgressBar(progress, "features " + label, (n + batchSize - 1) / batchSize);
        for (int start = 0, done = 1; start < n; start += batchSize, done++) {
            int rows = Math.min(batchSize, n - start);
            EvaluationBatch batch = preprocessing.evaluationBatch(data, start, rows);
            System.arraycopy(batch.labels(), 0, labels, start, rows);
            INDArray features = model.sd().output(model.evaluationInputs(batch.images()), name).get(name);
            out.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all()).assign(features);
            bar.update(done, start + rows, "");
        }
        return new Features(out, labels);
    }

    /**
     * A split's features.
     *
     * @param features {@code [n, d]}
     * @param labels the class of each row; a stand-in for an unreadable image brings its own
     */
    public record Features(INDArray features, int[] labels) {
    }
}

package org.poollab.eval;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.poollab.console.ProgressBar;
import org.poollab.data.EvaluationBatch;
import org.poollab.data.ImageSet;
import org.poollab.data.Preprocessing;
import org.poollab.model.ModelGraph;

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
        return extract(model, data, preprocessing, label, false);
    }

    /**
     * As {@link #extract(ModelGraph, ImageSet, Preprocessing, String)}, with the attention maps of the same forward
     * passes when {@code maps} is set and the pooling has them.
     */
    public Features extract(ModelGraph model, ImageSet data, Preprocessing preprocessing, String label,
                            boolean maps) {
        int n = data.size();
        INDArray out = Nd4j.create(DataType.FLOAT, n, model.featureDim());
        Optional<INDArray> attention = maps ? model.attention().map(map -> Nd4j.create(DataType.FLOAT, n,
                model.grid().tokens())) : Optional.empty();
        int[] labels = new int[n];
        String name = model.features().name();
        String[] outputs = attention.isPresent() ? new String[] {name, model.attention().get().name()}
                : new String[] {name};
        ProgressBar bar = new ProgressBar(progress, "features " + label, (n + batchSize - 1) / batchSize);
        for (int start = 0, done = 1; start < n; start += batchSize, done++) {
            int rows = Math.min(batchSize, n - start);
            EvaluationBatch batch = preprocessing.evaluationBatch(data, start, rows);
            System.arraycopy(batch.labels(), 0, labels, start, rows);
            Map<String, INDArray> results = model.sd().output(model.evaluationInputs(batch.images()), outputs);
            out.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all()).assign(results.get(name));
            if (attention.isPresent()) {
                attention.get().get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all())
                        .assign(results.get(outputs[1]));
            }
            bar.update(done, start + rows, "");
        }
        return new Features(out, labels, attention);
    }

    /**
     * A split's features.
     *
     * @param features {@code [n, d]}
     * @param labels the class of each row; a stand-in for an unreadable image brings its own
     * @param maps the attention maps {@code [n, N]}, when asked for and the pooling has them
     */
    public record Features(INDArray features, int[] labels, Optional<INDArray> maps) {
    }
}

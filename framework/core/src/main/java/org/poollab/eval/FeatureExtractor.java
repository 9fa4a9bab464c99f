package org.poollab.eval;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.poollab.data.ImageDataset;
import org.poollab.data.Preprocessing;
import org.poollab.data.TrainingBatches;
import org.poollab.model.ModelGraph;

/** Runs a model in evaluation mode (no augmentation, every stochastic-depth branch kept) over a data set. */
public final class FeatureExtractor {

    private FeatureExtractor() {
    }

    /**
     * @return the model's features {@code [n, d]}, in data set order
     */
    public static INDArray extract(ModelGraph model, ImageDataset data, Preprocessing preprocessing, int batchSize) {
        int n = data.size();
        int area = data.height() * data.width();
        INDArray out = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, model.featureDim());
        String name = model.features().name();
        for (int start = 0; start < n; start += batchSize) {
            int rows = Math.min(batchSize, n - start);
            float[] pixels = new float[rows * area];
            for (int r = 0; r < rows; r++) {
                preprocessing.write(data, start + r, pixels, r * area, null);
            }
            Map<String, INDArray> inputs = new HashMap<>(
                    TrainingBatches.evaluationMasks(model.stochasticInputs(), rows));
            inputs.put(ModelGraph.IMAGES, Nd4j.create(pixels, new long[] {rows, 1, data.height(), data.width()}, 'c'));
            INDArray features = model.sd().output(inputs, name).get(name);
            out.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all()).assign(features);
        }
        return out;
    }
}

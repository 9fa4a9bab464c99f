package org.poollab.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Splits a step's inputs into the replicas' equal shards of its images. An input with {@code V × B} rows for B
 * images holds V views of each, view-major (row {@code v B + b}: DINO's global and local crops, their masks and
 * targets; V = 1 for plain images, labels and per-image masks): shard s takes images
 * {@code [s B / N, (s + 1) B / N)} of every view, in the same layout. Anything else (a scalar flag) goes whole to
 * every shard.
 */
final class BatchShards {

    private BatchShards() {
    }

    /**
     * @param batch features and labels of B images
     * @param images B, a multiple of {@code shards}
     * @return one batch per shard
     */
    static MultiDataSet[] split(MultiDataSet batch, int images, int shards) {
        if (images % shards != 0) {
            throw new IllegalArgumentException(images + " images do not split into " + shards + " equal shards");
        }
        MultiDataSet[] out = new MultiDataSet[shards];
        for (int s = 0; s < shards; s++) {
            out[s] = new MultiDataSet(shard(batch.getFeatures(), images, shards, s),
                    shard(batch.getLabels(), images, shards, s));
        }
        return out;
    }

    private static INDArray[] shard(INDArray[] arrays, int images, int shards, int s) {
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = shard(arrays[i], images, shards, s);
        }
        return out;
    }

    /**
     * @param array {@code [V·B, ...]}, or anything else
     * @return {@code [V·B/N, ...]}: shard {@code s} of each view, views in order
     */
    static INDArray shard(INDArray array, int images, int shards, int s) {
        if (array.rank() == 0 || array.size(0) % images != 0) {
            return array;
        }
        long views = array.size(0) / images;
        long per = images / shards;
        INDArray[] parts = new INDArray[(int) views];
        for (int v = 0; v < views; v++) {
            long start = v * images + s * per;
            parts[v] = array.get(rows(array, start, start + per));
        }
        return (views == 1 ? parts[0] : Nd4j.concat(0, parts)).dup('c');
    }

    private static INDArrayIndex[] rows(INDArray array, long from, long to) {
        INDArrayIndex[] index = new INDArrayIndex[array.rank()];
        index[0] = NDArrayIndex.interval(from, to);
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        return index;
    }
}

package org.poollab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A step's inputs split into the replicas' shards: each view's share of the images, views kept in order. */
class BatchShardsTest {

    /** Rows {@code [V·B, 2]} whose first column is the row's view and second its image. */
    private static INDArray views(int views, int images) {
        float[][] rows = new float[views * images][];
        for (int v = 0; v < views; v++) {
            for (int b = 0; b < images; b++) {
                rows[v * images + b] = new float[] {v, b};
            }
        }
        return Nd4j.createFromArray(rows);
    }

    @Test
    void eachShardHoldsItsImagesOfEveryViewViewMajor() {
        INDArray shard = BatchShards.shard(views(2, 6), 6, 3, 1);
        assertArrayEquals(new float[][] {{0, 2}, {0, 3}, {1, 2}, {1, 3}}, shard.toFloatMatrix());
        assertArrayEquals(new float[][] {{0, 4}, {0, 5}}, BatchShards.shard(views(1, 6), 6, 3, 2).toFloatMatrix());
    }

    @Test
    void inputsThatAreNotPerImageGoWholeToEveryShard() {
        INDArray flag = Nd4j.scalar(1f);
        assertSame(flag, BatchShards.shard(flag, 6, 3, 0));
    }
}

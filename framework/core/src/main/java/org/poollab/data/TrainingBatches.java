package org.poollab.data;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.graph.StochasticInput;

/**
 * One epoch of shuffled, augmented training batches, prepared on a background thread while the model trains.
 * Order, augmentation and stochastic-depth masks come from generators seeded by (seed, epoch), so a run is
 * reproducible and does not depend on thread timing. The last incomplete batch is dropped.
 */
public final class TrainingBatches implements AutoCloseable {

    private static final int PREFETCH = 3;

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(PREFETCH);
    private final Thread producer;
    private final int steps;

    /**
     * @param data the training set
     * @param preprocessing normalisation and augmentation
     * @param batchSize images per batch
     * @param labelSmoothing epsilon of the smoothed targets
     * @param randomInputs the graph's stochastic placeholders to generate per batch
     * @param seed the run seed
     * @param epoch the epoch (0-based)
     */
    public TrainingBatches(ImageDataset data, Preprocessing preprocessing, int batchSize, double labelSmoothing,
                           List<StochasticInput> randomInputs, long seed, int epoch) {
        this.steps = stepsPerEpoch(data.size(), batchSize);
        int batch = Math.min(batchSize, data.size());
        long epochSeed = seed * 1_000_003L + epoch;
        this.producer = new Thread(() -> produce(data, preprocessing, batch, labelSmoothing, randomInputs,
                epochSeed), "poollab-batches-epoch-" + epoch);
        producer.setDaemon(true);
        producer.start();
    }

    /** Steps in one epoch: full batches only, at least one. */
    public static int stepsPerEpoch(int examples, int batchSize) {
        return Math.max(1, examples / batchSize);
    }

    /** Number of batches this epoch yields. */
    public int steps() {
        return steps;
    }

    /**
     * The next batch, waiting for the producer if needed.
     *
     * @throws DataException if preparing a batch failed
     */
    public Batch next() throws InterruptedException {
        Object item = queue.take();
        if (item instanceof RuntimeException failure) {
            throw new DataException("preparing a training batch failed: " + failure);
        }
        return (Batch) item;
    }

    @Override
    public void close() {
        producer.interrupt();
    }

    private void produce(ImageDataset data, Preprocessing preprocessing, int batch, double smoothing,
                         List<StochasticInput> randomInputs, long epochSeed) {
        SplittableRandom random = new SplittableRandom(epochSeed);
        int[] order = ImageDataset.permutation(data.size(), random.split());
        SplittableRandom augment = random.split();
        SplittableRandom masks = random.split();
        int area = data.height() * data.width();
        try {
            for (int step = 0; step < steps; step++) {
                float[] pixels = new float[batch * area];
                float[] targets = new float[batch * data.classes()];
                for (int b = 0; b < batch; b++) {
                    int index = order[step * batch + b];
                    preprocessing.write(data, index, pixels, b * area, augment);
                    for (int c = 0; c < data.classes(); c++) {
                        targets[b * data.classes() + c] = (float) (smoothing / data.classes());
                    }
                    targets[b * data.classes() + data.labels()[index]] += (float) (1 - smoothing);
                }
                INDArray images = Nd4j.create(pixels, new long[] {batch, 1, data.height(), data.width()}, 'c');
                INDArray labels = Nd4j.create(targets, new long[] {batch, data.classes()}, 'c');
                queue.put(new Batch(images, labels, keepMasks(randomInputs, batch, masks)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            queue.offer(e);
        }
    }

    /** Per-sample Bernoulli(1 - p) / (1 - p) masks, so that the expected branch output is unchanged. */
    static Map<String, INDArray> keepMasks(List<StochasticInput> inputs, int batch, SplittableRandom random) {
        Map<String, INDArray> out = new HashMap<>();
        for (StochasticInput input : inputs) {
            double keep = 1 - input.dropProbability();
            float[] values = new float[batch];
            for (int b = 0; b < batch; b++) {
                values[b] = random.nextDouble() < keep ? (float) (1 / keep) : 0f;
            }
            long[] shape = new long[input.rank()];
            java.util.Arrays.fill(shape, 1);
            shape[0] = batch;
            out.put(input.placeholder(), Nd4j.create(values, shape, 'c'));
        }
        return out;
    }

    /** Masks of ones: evaluation keeps every branch. */
    public static Map<String, INDArray> evaluationMasks(List<StochasticInput> inputs, int batch) {
        Map<String, INDArray> out = new HashMap<>();
        for (StochasticInput input : inputs) {
            long[] shape = new long[input.rank()];
            java.util.Arrays.fill(shape, 1);
            shape[0] = batch;
            out.put(input.placeholder(), Nd4j.ones(DataType.FLOAT, shape));
        }
        return out;
    }
}

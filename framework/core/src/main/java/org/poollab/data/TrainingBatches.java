package org.poollab.data;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.graph.StochasticInput;

/**
 * One epoch of shuffled, augmented, labelled training batches for the supervised trainer, prepared in the
 * background. Order, augmentation and stochastic-depth masks come from generators seeded by (seed, epoch), so a
 * run is reproducible. The last incomplete batch is dropped.
 */
public final class TrainingBatches {

    private TrainingBatches() {
    }

    /**
     * @param data the training set
     * @param preprocessing normalisation and augmentation
     * @param batchSize images per batch
     * @param labelSmoothing epsilon of the smoothed targets
     * @param randomInputs the graph's stochastic placeholders to generate per batch
     * @param seed the run seed
     * @param epoch the epoch (0-based)
     */
    public static BackgroundBatches<Batch> epoch(ImageDataset data, Preprocessing preprocessing, int batchSize,
                                                 double labelSmoothing, List<StochasticInput> randomInputs,
                                                 long seed, int epoch) {
        int batch = Math.min(batchSize, data.size());
        SplittableRandom random = new SplittableRandom(epochSeed(seed, epoch));
        int[] order = ImageDataset.permutation(data.size(), random.split());
        SplittableRandom augment = random.split();
        SplittableRandom masks = random.split();
        int length = data.channels() * data.area();
        return new BackgroundBatches<>("poollab-batches-epoch-" + epoch, stepsPerEpoch(data.size(), batchSize),
                step -> {
                    float[] pixels = new float[batch * length];
                    float[] targets = new float[batch * data.classes()];
                    for (int b = 0; b < batch; b++) {
                        int index = order[step * batch + b];
                        preprocessing.write(data, index, pixels, b * length, augment);
                        for (int c = 0; c < data.classes(); c++) {
                            targets[b * data.classes() + c] = (float) (labelSmoothing / data.classes());
                        }
                        targets[b * data.classes() + data.labels()[index]] += (float) (1 - labelSmoothing);
                    }
                    INDArray images = Nd4j.create(pixels,
                            new long[] {batch, data.channels(), data.height(), data.width()}, 'c');
                    INDArray labels = Nd4j.create(targets, new long[] {batch, data.classes()}, 'c');
                    return new Batch(images, labels, StochasticMasks.training(randomInputs, input -> batch, masks));
                });
    }

    /** The seed of one epoch's generators. */
    public static long epochSeed(long seed, int epoch) {
        return seed * 1_000_003L + epoch;
    }

    /** Steps in one epoch: full batches only, at least one. */
    public static int stepsPerEpoch(int examples, int batchSize) {
        return Math.max(1, examples / batchSize);
    }
}

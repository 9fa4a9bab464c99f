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
     * @param first the epoch's first batch to make (0, or the step a run stopped inside the epoch resumes at)
     */
    public static BackgroundBatches<Batch> epoch(ImageSet data, Preprocessing preprocessing, int batchSize,
                                                 double labelSmoothing, List<StochasticInput> randomInputs,
                                                 long seed, int epoch, int first) {
        int batch = Math.min(batchSize, data.size());
        EpochGenerators generators = new EpochGenerators(data.size(), seed, epoch, randomInputs, input -> batch);
        int size = preprocessing.size();
        int length = data.channels() * size * size;
        int classes = data.classes();
        return new BackgroundBatches<>("poollab-batches-epoch-" + epoch, stepsPerEpoch(data.size(), batchSize), first,
                new BackgroundBatches.Maker<>() {
                    @Override
                    public Batch make(int step) {
                        SplittableRandom[] samples = generators.perSample(batch);
                        float[] pixels = new float[batch * length];
                        float[] targets = new float[batch * classes];
                        preprocessing.workers().forEach(batch, b -> {
                            Sample sample = data.sample(generators.sample(step, batch, b));
                            preprocessing.write(sample, pixels, b * length, samples[b]);
                            for (int c = 0; c < classes; c++) {
                                targets[b * classes + c] = (float) (labelSmoothing / classes);
                            }
                            targets[b * classes + sample.label()] += (float) (1 - labelSmoothing);
                        });
                        INDArray images = Nd4j.create(pixels, new long[] {batch, data.channels(), size, size}, 'c');
                        INDArray labels = Nd4j.create(targets, new long[] {batch, classes}, 'c');
                        return new Batch(images, labels, generators.masks());
                    }

                    @Override
                    public void skip(int step) {
                        generators.skip(batch);
                    }
                });
    }

    /** {@code count} generators split from {@code random} one after another. */
    public static SplittableRandom[] perSample(SplittableRandom random, int count) {
        SplittableRandom[] generators = new SplittableRandom[count];
        for (int i = 0; i < count; i++) {
            generators[i] = random.split();
        }
        return generators;
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

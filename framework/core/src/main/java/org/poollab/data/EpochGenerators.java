package org.poollab.data;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.api.graph.StochasticInput;

/**
 * The random draws of one training epoch, all from generators seeded by (seed, epoch): the order of the samples,
 * one augmentation generator per sample and the stochastic-depth masks, taken batch after batch. Skipping a batch
 * takes the same draws as making it, so an epoch resumed at any step yields the batches it would have yielded.
 */
public final class EpochGenerators {

    private final int[] order;
    private final SplittableRandom augment;
    private final SplittableRandom masks;
    private final List<StochasticInput> randomInputs;
    private final ToIntFunction<String> batchOf;

    /**
     * @param size samples in the training set
     * @param seed the run seed
     * @param epoch the epoch (0-based)
     * @param randomInputs the graph's stochastic placeholders to generate per batch
     * @param batchOf the batch size of each image input of the graph ("" is the main input)
     */
    public EpochGenerators(int size, long seed, int epoch, List<StochasticInput> randomInputs,
                    ToIntFunction<String> batchOf) {
        SplittableRandom random = new SplittableRandom(TrainingBatches.epochSeed(seed, epoch));
        this.order = ImageDataset.permutation(size, random.split());
        this.augment = random.split();
        this.masks = random.split();
        this.randomInputs = randomInputs;
        this.batchOf = batchOf;
    }

    /** The index in the training set of sample {@code b} of batch {@code step} of {@code batch} samples. */
    public int sample(int step, int batch, int b) {
        return order[step * batch + b];
    }

    /**
     * One generator per sample of the next batch, split in sample order here on the producer: the batch is the same
     * however many workers make it and in whatever order they finish.
     */
    public SplittableRandom[] perSample(int batch) {
        return TrainingBatches.perSample(augment, batch);
    }

    /** The next batch's stochastic placeholders ({@link StochasticMasks#training}). */
    public Map<String, INDArray> masks() {
        return StochasticMasks.training(randomInputs, batchOf, masks);
    }

    /** Takes the draws of a batch of {@code batch} samples without making it (the masks are tiny). */
    public void skip(int batch) {
        perSample(batch);
        masks();
    }
}

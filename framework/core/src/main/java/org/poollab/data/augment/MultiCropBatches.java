package org.poollab.data.augment;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.graph.StochasticInput;
import org.poollab.data.BackgroundBatches;
import org.poollab.data.EpochGenerators;
import org.poollab.data.ImageSet;
import org.poollab.data.Sample;
import org.poollab.data.SampleWorkers;
import org.poollab.data.TrainingBatches;

/** One epoch of multi-crop batches made in the background, seeded by (seed, epoch); labels are never read. */
public final class MultiCropBatches {

    /** The graph input name of the local views (the global views are the main input). */
    public static final String LOCAL = "local";

    private MultiCropBatches() {
    }

    /**
     * @param randomInputs the student graph's stochastic placeholders ({@code input} "" for global, LOCAL for local)
     * @param first the epoch's first batch to make (0, or the step a run stopped inside the epoch resumes at)
     */
    public static BackgroundBatches<MultiCropBatch> epoch(ImageSet data, MultiCrop crops, SampleWorkers workers,
                                                          int batchSize, List<StochasticInput> randomInputs,
                                                          long seed, int epoch, int first) {
        int batch = Math.min(batchSize, data.size());
        int globals = crops.globalViews();
        int locals = crops.localViews();
        int channels = data.channels();
        EpochGenerators generators = new EpochGenerators(data.size(), seed, epoch, randomInputs,
                input -> input.equals(LOCAL) ? locals * batch : globals * batch);
        return new BackgroundBatches<>("poollab-multicrop-epoch-" + epoch,
                TrainingBatches.stepsPerEpoch(data.size(), batchSize), first, new BackgroundBatches.Maker<>() {
                    @Override
                    public MultiCropBatch make(int step) {
                        int globalArea = channels * crops.size(0) * crops.size(0);
                        int localArea = locals == 0 ? 0 : channels * crops.size(globals) * crops.size(globals);
                        float[] global = new float[globals * batch * globalArea];
                        float[] local = new float[locals * batch * localArea];
                        SplittableRandom[] samples = generators.perSample(batch);
                        workers.forEach(batch, b -> {
                            Sample sample = data.sample(generators.sample(step, batch, b));
                            for (int v = 0; v < globals; v++) {
                                crops.write(sample, v, samples[b], global, (v * batch + b) * globalArea);
                            }
                            for (int v = 0; v < locals; v++) {
                                crops.write(sample, globals + v, samples[b], local, (v * batch + b) * localArea);
                            }
                        });
                        INDArray globalViews = views(global, globals * batch, channels, crops.size(0));
                        INDArray localViews = locals == 0 ? null
                                : views(local, locals * batch, channels, crops.size(globals));
                        return new MultiCropBatch(globalViews, localViews, generators.masks(), batch);
                    }

                    @Override
                    public void skip(int step) {
                        generators.skip(batch);
                    }
                });
    }

    /** @return {@code [count, channels, size, size]} */
    private static INDArray views(float[] pixels, int count, int channels, int size) {
        return Nd4j.create(pixels, new long[] {count, channels, size, size}, 'c');
    }
}

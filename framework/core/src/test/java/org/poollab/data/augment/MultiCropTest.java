package org.poollab.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poollab.api.graph.StochasticInput;
import org.poollab.config.DinoConfig;
import org.poollab.config.ExperimentLoader;
import org.poollab.data.BackgroundBatches;
import org.poollab.data.ImageDataset;
import org.poollab.data.SampleWorkers;

class MultiCropTest {

    private static final SampleWorkers ONE_WORKER = SampleWorkers.of(1);
    private static final int IMAGES = 40;
    private static final int BATCH = 8;

    @TempDir
    Path dir;

    private DinoConfig dino(String extra) throws IOException {
        Path file = dir.resolve("d.yaml");
        Files.writeString(file, "experiment: d\ntrainer: {id: dino, dino: {" + extra + "}}\n");
        return ExperimentLoader.load(file, List.of()).trainer().dino();
    }

    private static ImageDataset images() {
        Random random = new Random(3);
        byte[] pixels = new byte[IMAGES * 28 * 28];
        random.nextBytes(pixels);
        return new ImageDataset(pixels, new int[IMAGES], 28, 28, 10);
    }

    private static MultiCropBatch first(DinoConfig dino, long seed, int epoch, List<StochasticInput> masks)
            throws InterruptedException {
        MultiCrop crops = new MultiCrop(dino, 28, new double[] {0.286}, new double[] {0.353});
        try (BackgroundBatches<MultiCropBatch> batches = MultiCropBatches.epoch(images(), crops, ONE_WORKER,
                BATCH, masks, seed, epoch, 0)) {
            assertEquals(IMAGES / BATCH, batches.steps());
            return batches.next();
        }
    }

    @Test
    void twoGlobalAndLLocalViewsOfTheConfiguredSizes() throws Exception {
        List<StochasticInput> masks = List.of(new StochasticInput("drop", 0.5, 3, ""),
                new StochasticInput("local/drop", 0.5, 3, MultiCropBatches.LOCAL));
        MultiCropBatch batch = first(dino("localCrops: 6, localSize: 12"), 0, 0, masks);
        assertArrayEquals(new long[] {2 * BATCH, 1, 28, 28}, batch.global().shape());
        assertArrayEquals(new long[] {6 * BATCH, 1, 12, 12}, batch.local().shape());
        assertArrayEquals(new long[] {2 * BATCH, 1, 1}, batch.randomInputs().get("drop").shape());
        assertArrayEquals(new long[] {6 * BATCH, 1, 1}, batch.randomInputs().get("local/drop").shape());
        assertEquals(BATCH, batch.images());
    }

    @Test
    void withoutLocalCropsThereIsNoLocalInput() throws Exception {
        MultiCropBatch batch = first(dino("localCrops: 0"), 0, 0, List.of());
        assertEquals(null, batch.local());
        assertEquals(2 * BATCH, batch.global().size(0));
    }

    @Test
    void theSameSeedGivesTheSameCropsAndAnotherEpochOthers() throws Exception {
        DinoConfig dino = dino("");
        MultiCropBatch a = first(dino, 5, 1, List.of());
        MultiCropBatch b = first(dino, 5, 1, List.of());
        MultiCropBatch c = first(dino, 5, 2, List.of());
        assertEquals(a.global(), b.global());
        assertEquals(a.local(), b.local());
        assertNotEquals(a.global(), c.global());
    }

    @Test
    void theTwoGlobalViewsOfAnImageDiffer() throws Exception {
        MultiCropBatch batch = first(dino(""), 0, 0, List.of());
        assertNotEquals(batch.global().slice(0), batch.global().slice(BATCH));
    }

    @Test
    void colourViewsKeepThreeChannelsAndRandomGrayscaleMakesThemEqual() throws Exception {
        byte[] pixels = new byte[IMAGES * 3 * 28 * 28];
        new Random(4).nextBytes(pixels);
        ImageDataset colour = new ImageDataset(pixels, new int[IMAGES], 3, 28, 28, 10, null);
        double[] mean = {0.5, 0.5, 0.5};
        double[] std = {0.25, 0.25, 0.25};
        MultiCrop grey = new MultiCrop(dino("localCrops: 2, augmentation: {grayscaleProbability: 1.0}"), 28, mean,
                std);
        try (BackgroundBatches<MultiCropBatch> batches = MultiCropBatches.epoch(colour, grey, ONE_WORKER, BATCH,
                List.of(), 0, 0, 0)) {
            MultiCropBatch batch = batches.next();
            assertArrayEquals(new long[] {2 * BATCH, 3, 28, 28}, batch.global().shape());
            assertArrayEquals(new long[] {2 * BATCH, 3, 12, 12}, batch.local().shape());
            for (int v = 0; v < 2 * BATCH; v++) {
                assertEquals(batch.global().slice(v).slice(0), batch.global().slice(v).slice(2),
                        "a grayscale view has the luma in every channel");
            }
        }
        MultiCrop coloured = new MultiCrop(dino("augmentation: {grayscaleProbability: 0.0}"), 28, mean, std);
        try (BackgroundBatches<MultiCropBatch> batches = MultiCropBatches.epoch(colour, coloured, ONE_WORKER,
                BATCH, List.of(), 0, 0, 0)) {
            MultiCropBatch batch = batches.next();
            assertNotEquals(batch.global().slice(0).slice(0), batch.global().slice(0).slice(2),
                    "without grayscale the channels of random colour pixels differ");
        }
    }
}

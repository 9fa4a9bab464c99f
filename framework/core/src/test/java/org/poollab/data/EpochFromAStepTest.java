package org.poollab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.api.graph.StochasticInput;
import org.poollab.config.DinoConfig;
import org.poollab.config.ExperimentLoader;
import org.poollab.data.augment.MultiCrop;
import org.poollab.data.augment.MultiCropBatch;
import org.poollab.data.augment.MultiCropBatches;

/**
 * A run stopped inside an epoch resumes there: the epoch's batches from step k, made without the k before them,
 * are exactly the whole epoch's from k: samples, augmentations and stochastic-depth masks (the generators are
 * advanced past the skipped batches, not restarted).
 */
class EpochFromAStepTest {

    private static final int IMAGES = 48;
    private static final int BATCH = 8;
    private static final int STEPS = IMAGES / BATCH;
    private static final List<StochasticInput> MASKS = List.of(new StochasticInput("drop", 0.5, 3, ""),
            new StochasticInput("local/drop", 0.5, 3, MultiCropBatches.LOCAL));

    private static ImageDataset images() {
        Random random = new Random(11);
        byte[] pixels = new byte[IMAGES * 28 * 28];
        random.nextBytes(pixels);
        int[] labels = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = random.nextInt(10);
        }
        return new ImageDataset(pixels, labels, 28, 28, 10);
    }

    private static Preprocessing augmenting() {
        return new Preprocessing(24, 28.0 / 24, new double[] {0.3}, new double[] {0.35}, 2, new double[] {0.3, 1.0},
                true, SampleWorkers.of(2));
    }

    /** Every array of each batch of one epoch from step {@code first}, as floats. */
    private static List<List<float[]>> supervised(int first) throws InterruptedException {
        List<List<float[]>> out = new ArrayList<>();
        try (BackgroundBatches<Batch> batches = TrainingBatches.epoch(images(), augmenting(), BATCH, 0.1,
                MASKS.subList(0, 1), 5, 2, first)) {
            assertEquals(first, batches.first());
            for (int step = first; step < batches.steps(); step++) {
                Batch batch = batches.next();
                out.add(floats(batch.images(), batch.targets(), batch.randomInputs().get("drop")));
            }
        }
        return out;
    }

    private static List<List<float[]>> multiCrop(int first) throws InterruptedException {
        DinoConfig dino = ExperimentLoader.fromSettings(List.of("experiment=e", "trainer.id=dino",
                "trainer.dino.localCrops=2")).trainer().dino();
        MultiCrop crops = new MultiCrop(dino, 28, new double[] {0.3}, new double[] {0.35});
        List<List<float[]>> out = new ArrayList<>();
        try (BackgroundBatches<MultiCropBatch> batches = MultiCropBatches.epoch(images(), crops, SampleWorkers.of(2),
                BATCH, MASKS, 5, 2, first)) {
            for (int step = first; step < batches.steps(); step++) {
                MultiCropBatch batch = batches.next();
                out.add(floats(batch.global(), batch.local(), batch.randomInputs().get("drop"),
                        batch.randomInputs().get("local/drop")));
            }
        }
        return out;
    }

    private static List<float[]> floats(INDArray... arrays) {
        List<float[]> out = new ArrayList<>();
        for (INDArray array : arrays) {
            out.add(array.dup().data().asFloat());
        }
        return out;
    }

    private static void assertSameBatches(List<List<float[]>> expected, List<List<float[]>> actual) {
        assertEquals(expected.size(), actual.size());
        for (int b = 0; b < expected.size(); b++) {
            for (int a = 0; a < expected.get(b).size(); a++) {
                assertArrayEquals(expected.get(b).get(a), actual.get(b).get(a), "batch " + b + ", array " + a);
            }
        }
    }

    @Test
    void supervisedBatchesFromAStepAreTheWholeEpochsFromThere() throws Exception {
        List<List<float[]>> whole = supervised(0);
        assertEquals(STEPS, whole.size());
        for (int first : new int[] {1, 4, STEPS - 1}) {
            assertSameBatches(whole.subList(first, STEPS), supervised(first));
        }
    }

    @Test
    void multiCropBatchesFromAStepAreTheWholeEpochsFromThere() throws Exception {
        List<List<float[]>> whole = multiCrop(0);
        for (int first : new int[] {1, 3, STEPS - 1}) {
            assertSameBatches(whole.subList(first, STEPS), multiCrop(first));
        }
    }

    @Test
    void anEpochCannotStartAfterItsLastStep() {
        assertThrows(IllegalArgumentException.class, () -> supervised(STEPS));
    }
}

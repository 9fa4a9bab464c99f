package org.poollab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming an image folder of JPEGs of different sizes: batches independent of the number of workers, the same
 * after a resume, a corrupt file skipped and counted, and memory flat however many images are read.
 */
class StreamedImagesTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final int SIZE = 16;
    private static final int BATCH = 8;
    private static final long MEGABYTE = 1024 * 1024;

    @TempDir
    Path root;

    /** {@code perClass} JPEGs per class of two classes, each of its own size and colours. */
    private void writeJpegs(int perClass, int minSide, int maxSide) throws IOException {
        Random random = new Random(7);
        for (String name : List.of("a", "b")) {
            Path folder = Files.createDirectories(root.resolve("train").resolve(name));
            Files.createDirectories(root.resolve("test").resolve(name));
            for (int i = 0; i < perClass; i++) {
                int width = minSide + random.nextInt(maxSide - minSide + 1);
                int height = minSide + random.nextInt(maxSide - minSide + 1);
                BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = image.createGraphics();
                for (int block = 0; block < 6; block++) {
                    g.setColor(new Color(random.nextInt(0x1000000)));
                    g.fillRect(random.nextInt(width), random.nextInt(height), width / 2, height / 3);
                }
                g.dispose();
                ImageIO.write(image, "jpg", folder.resolve(String.format("%04d.jpg", i)).toFile());
            }
        }
    }

    private StreamedImages train(DecodedCache cache, PrintStream progress) {
        return ImageFolder.at(root).toleratingUnreadable(0.1).train(3, null, 0, cache, progress);
    }

    private static Preprocessing augmenting(int workers) {
        return new Preprocessing(SIZE, 256.0 / 224, new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25, 0.25},
                0, new double[] {0.08, 1.0}, true, SampleWorkers.of(workers));
    }

    /** Every batch of one epoch, as pixels and targets. */
    private static List<float[]> epoch(ImageSet data, Preprocessing preprocessing, int epoch)
            throws InterruptedException {
        List<float[]> batches = new ArrayList<>();
        try (BackgroundBatches<Batch> stream = TrainingBatches.epoch(data, preprocessing, BATCH, 0.1, List.of(), 5,
                epoch, 0)) {
            for (int step = 0; step < stream.steps(); step++) {
                Batch batch = stream.next();
                batches.add(batch.images().data().asFloat());
                batches.add(batch.targets().data().asFloat());
            }
        }
        return batches;
    }

    @Test
    void batchesDoNotDependOnTheWorkersAndAResumedEpochIsTheUninterruptedOne() throws Exception {
        writeJpegs(12, 20, 60);
        StreamedImages uninterrupted = train(new DecodedCache(0), QUIET);
        List<float[]> first = epoch(uninterrupted, augmenting(1), 0);
        List<float[]> second = epoch(uninterrupted, augmenting(1), 1);
        // A resumed run starts at epoch 1 in a new process: a new folder listing and cache, other workers.
        List<float[]> resumed = epoch(train(new DecodedCache(64 * MEGABYTE), QUIET), augmenting(3), 1);
        assertEquals(second.size(), resumed.size());
        for (int i = 0; i < second.size(); i++) {
            assertArrayEquals(second.get(i), resumed.get(i), "array " + i + " of epoch 1");
        }
        assertFalse(Arrays.equals(first.get(0), second.get(0)), "each epoch has its own order and crops");
    }

    @Test
    void aSetLargerThanTheCacheStreamsTheRestAndGivesTheSameBatches() throws Exception {
        writeJpegs(12, 20, 60);
        DecodedCache small = new DecodedCache(4 * 3 * 60 * 60);
        List<float[]> cached = epoch(train(small, QUIET), augmenting(2), 0);
        List<float[]> streamed = epoch(train(new DecodedCache(0), QUIET), augmenting(2), 0);
        assertTrue(small.usedBytes() > 0 && small.usedBytes() <= 4 * 3 * 60 * 60, "within budget: "
                + small.usedBytes());
        for (int i = 0; i < cached.size(); i++) {
            assertArrayEquals(streamed.get(i), cached.get(i), "array " + i);
        }
    }

    @Test
    void aCorruptJpegIsSkippedAndCountedAndTheEpochCompletes() throws Exception {
        writeJpegs(12, 20, 60);
        byte[] jpeg = Files.readAllBytes(root.resolve("train/a/0000.jpg"));
        Files.write(root.resolve("train/a/0000.jpg"), Arrays.copyOf(jpeg, 40));
        ByteArrayOutputStream warned = new ByteArrayOutputStream();
        StreamedImages data = train(new DecodedCache(0), new PrintStream(warned, true));
        List<float[]> batches = epoch(data, augmenting(2), 0);
        assertEquals(2 * (24 / BATCH), batches.size(), "every batch made");
        for (float[] batch : batches) {
            for (float value : batch) {
                assertTrue(Float.isFinite(value));
            }
        }
        assertEquals(1, data.unreadableCount());
        assertTrue(warned.toString().contains("0000.jpg") && warned.toString().contains("1 of the 24"),
                warned.toString());
    }

    @Test
    void retainedMemoryStaysFlatOverManyEpochsWithoutACacheAndGrowsWithOne() throws Exception {
        writeJpegs(100, 150, 200);
        Preprocessing preprocessing = augmenting(2);
        StreamedImages streamed = train(new DecodedCache(0), QUIET);
        epoch(streamed, preprocessing, 0); // warm: pools and the JIT reach their working size
        long warm = retainedBytes();
        for (int e = 1; e < 7; e++) {
            epoch(streamed, preprocessing, e);
        }
        // 1200 decoded images of ~175 x 175 x 3 (110 MB as bytes, 440 MB as floats) have passed through.
        long growth = retainedBytes() - warm;
        assertTrue(growth < 4 * MEGABYTE, "retained memory grew by " + growth / MEGABYTE + " MB");

        // The control: what a cache keeps does show.
        DecodedCache cache = new DecodedCache(1024 * MEGABYTE);
        long before = retainedBytes();
        epoch(train(cache, QUIET), preprocessing, 0);
        assertTrue(cache.usedBytes() > 15 * MEGABYTE, "cached " + cache.usedBytes());
        assertTrue(retainedBytes() - before >= cache.usedBytes(), "the cache shows");
    }

    /**
     * The live heap after a full collection, where decoded images, crops and the cache live (the batch tensors
     * are native, as for the sets held in memory). Resident memory would be the wider measure, but it moves by
     * 100-200 MB between readings in a JVM that has run other tests (the native allocator returns and takes whole
     * arenas; neither JavaCPP's nor ND4J's counters see ND4J's CPU buffers), which hides any leak a test could
     * afford to provoke.
     */
    private static long retainedBytes() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}

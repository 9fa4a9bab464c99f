package org.poollab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poollab.data.clutter.FashionClutter;

/** What {@code poollab data export} writes, {@code imagefolder} + {@code data.masks} read back unchanged. */
class ImageFolderWriterTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final int SIZE = 32;

    @TempDir
    Path dir;

    @Test
    void fashionClutterReadsBackToTheSameImagesAndMasks() {
        ImageDataset items = FashionMnist.test(Path.of("/usr/share/datasets/fashion-mnist"));
        ImageDataset train = FashionClutter.scenes(items, false, SIZE, ImageDataset.chosen(items.size(), 30, 0));
        ImageDataset test = FashionClutter.scenes(items, true, SIZE, ImageDataset.chosen(items.size(), 20, 1));
        Path out = dir.resolve("clutter");
        ImageFolderWriter writer = new ImageFolderWriter(out, FashionMnist.CLASS_NAMES);
        writer.write("train", train);
        writer.write("test", test);

        ImageFolder folder = ImageFolder.at(out);
        assertEquals(3, folder.storedChannels());
        assertEquals(10, folder.classes().size());
        assertTrue(folder.classes().get(9).startsWith("9-"), folder.classes().toString());
        DecodedCache cache = new DecodedCache(0);
        assertSameImages(train, folder.train(3, null, 0, cache, QUIET), false);
        assertSameImages(test, folder.test(3, out.resolve(ImageFolderWriter.MASKS), null, 0, cache, QUIET), true);
    }

    /** The folder holds the images class by class, each class in index order. */
    private static void assertSameImages(ImageDataset written, ImageSet read, boolean masks) {
        int[] order = IntStream.range(0, written.size()).boxed()
                .sorted(Comparator.comparingInt(i -> written.labels()[i])).mapToInt(Integer::intValue).toArray();
        assertEquals(written.size(), read.size());
        for (int r = 0; r < order.length; r++) {
            int w = order[r];
            Sample sample = read.sample(r);
            assertEquals(written.labels()[w], sample.label());
            assertArrayEquals(written.image(w), sample.planes(), "image " + w);
            if (masks) {
                assertArrayEquals(written.mask(w), sample.mask(), "mask " + w);
            }
        }
    }

    @Test
    void aFolderWithFilesIsNeverWrittenInto() throws IOException {
        Files.writeString(dir.resolve("keep.txt"), "mine");
        DataException refused = assertThrows(DataException.class,
                () -> new ImageFolderWriter(dir, FashionMnist.CLASS_NAMES));
        assertTrue(refused.getMessage().contains("not empty"), refused.getMessage());
    }
}

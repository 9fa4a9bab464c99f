package org.poollab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image folders: class order, labels, grey levels, streaming at the images' own size, subsets, cache, errors. */
class ImageFolderTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path root;

    /** An 8 x 8 image of one colour, as a grey or an RGB PNG. */
    private void square(String path, Color colour, int type) throws IOException {
        image(path, 8, 8, type, colour, null);
    }

    /** A {@code width x height} image: {@code colour}, with the centred square in {@code centre} if given. */
    private void image(String path, int width, int height, int type, Color colour, Color centre) throws IOException {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        if (centre != null) {
            int side = Math.min(width, height);
            g.setColor(centre);
            g.fillRect((width - side) / 2, (height - side) / 2, side, side);
        }
        g.dispose();
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    @BeforeEach
    void layOut() throws IOException {
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 8, 8, 0, new int[64]);
        for (int i = 0; i < 64; i++) {
            grey.getRaster().setSample(i % 8, i / 8, 0, 200);
        }
        Files.createDirectories(root.resolve("train/bag"));
        ImageIO.write(grey, "png", root.resolve("train/bag/a.png").toFile()); // stored grey level 200
        square("train/bag/b.png", new Color(255, 0, 0), BufferedImage.TYPE_INT_RGB); // luma 0.299 * 255
        image("train/coat/c.png", 24, 8, BufferedImage.TYPE_INT_RGB, Color.BLACK, Color.WHITE);
        Files.writeString(root.resolve("train/coat/notes.txt"), "not an image");
        square("test/coat/d.png", Color.WHITE, BufferedImage.TYPE_INT_RGB);
        square("val/bag/e.png", Color.BLACK, BufferedImage.TYPE_INT_RGB); // ignored: test/ exists
    }

    /** The level of channel {@code c} at {@code (y, x)} of a sample, 0..255. */
    private static int level(Sample sample, int c, int y, int x) {
        return Math.round(sample.planes()[(c * sample.height() + y) * sample.width() + x] * 255);
    }

    /** The evaluation view at {@code size} with the whole centred square (no extra resize), in raw levels. */
    private static Sample centreSquare(Sample sample, int size) {
        return new Preprocessing(size, 1.0, new double[] {0, 0, 0}, new double[] {1, 1, 1}, 0, null, false,
                SampleWorkers.of(1)).evaluationView(sample);
    }

    private static DecodedCache cache() {
        return new DecodedCache(1 << 20);
    }

    @Test
    void readsClassesLabelsAndGreyLevelsAtTheImagesOwnSize() {
        ImageFolder folder = ImageFolder.at(root);
        assertEquals(List.of("bag", "coat"), folder.classes());
        StreamedImages train = folder.train(1, null, 0, cache(), QUIET);
        assertEquals(3, train.size());
        assertArrayEquals(new int[] {0, 0, 1}, IntStream.range(0, 3).map(i -> train.sample(i).label()).toArray());
        assertEquals(2, train.classes());
        assertEquals(200, level(train.sample(0), 0, 3, 5), "a grey PNG keeps its stored levels");
        assertEquals(Math.round(0.299 * 255), level(train.sample(1), 0, 7, 0), "colour becomes ITU-R 601 luma");
        Sample wide = train.sample(2);
        assertEquals(8, wide.height());
        assertEquals(24, wide.width(), "decoded at its own size, not shrunk to a square");
        Sample square = centreSquare(wide, 8);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                assertEquals(255, level(square, 0, y, x), "the 24 x 8 image's white centre square, at " + y + "," + x);
            }
        }
        ByteArrayOutputStream announced = new ByteArrayOutputStream();
        StreamedImages test = folder.test(1, null, null, 1, cache(), new PrintStream(announced, true));
        assertTrue(announced.toString().contains("streaming 1 of the 1 images in " + root.resolve("test")),
                "the split is announced: " + announced);
        assertEquals(1, test.size());
        assertEquals(1, test.sample(0).label());
        assertEquals(255, level(test.sample(0), 0, 2, 2));
    }

    @Test
    void aSubsetIsTheOneTheWholeSplitWouldGive() {
        ImageFolder folder = ImageFolder.at(root);
        StreamedImages whole = folder.train(3, null, 0, cache(), QUIET);
        for (long seed = 0; seed < 4; seed++) {
            ImageSet expected = whole.subset(2, seed);
            StreamedImages subset = folder.train(3, 2, seed, cache(), QUIET);
            assertEquals(2, subset.size());
            for (int i = 0; i < 2; i++) {
                assertEquals(expected.sample(i).label(), subset.sample(i).label(), "seed " + seed);
                assertArrayEquals(expected.sample(i).planes(), subset.sample(i).planes(), "seed " + seed);
            }
        }
    }

    @Test
    void cachedAndDecodedSamplesAreTheSameAndTheCacheKeepsToItsBudget() {
        ImageFolder folder = ImageFolder.at(root);
        StreamedImages uncached = folder.train(3, null, 0, new DecodedCache(0), QUIET);
        DecodedCache small = new DecodedCache(3 * 8 * 8 + 1); // room for the first 8 x 8 colour image only
        StreamedImages cached = folder.train(3, null, 0, small, QUIET);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(uncached.sample(i).planes(), cached.sample(i).planes(), "image " + i);
            }
        }
        assertEquals(3 * 8 * 8, small.usedBytes(), "one image held, the others streamed");
        assertEquals(0, new DecodedCache(0).usedBytes());
    }

    @Test
    void badFoldersAndFilesAreNamedWithTheFix() throws IOException {
        ImageFolder folder = ImageFolder.at(root);
        square("test/shirt/f.png", Color.WHITE, BufferedImage.TYPE_INT_RGB);
        DataException unknown = assertThrows(DataException.class,
                () -> folder.test(1, null, null, 1, cache(), QUIET));
        assertTrue(unknown.getMessage().contains("shirt") && unknown.getMessage().contains("[bag, coat]"),
                unknown.getMessage());

        Files.writeString(root.resolve("train/bag/broken.png"), "not a png");
        StreamedImages train = folder.train(1, null, 0, cache(), QUIET);
        DataException broken = assertThrows(DataException.class, () -> train.sample(2));
        assertTrue(broken.getMessage().contains("broken.png"), broken.getMessage());

        DataException missing = assertThrows(DataException.class, () -> ImageFolder.at(root.resolve("nowhere")));
        assertTrue(missing.getMessage().contains("has no train/") && missing.getMessage().contains("data.path"),
                missing.getMessage());
    }

    @Test
    void colourImagesKeepTheirChannelsAndGreyOnesAreReplicated() {
        ImageFolder folder = ImageFolder.at(root);
        assertEquals(3, folder.storedChannels(), "the first image of class coat is an RGB PNG");
        StreamedImages train = folder.train(3, null, 0, cache(), QUIET);
        assertEquals(3, train.channels());
        Sample redSquare = train.sample(1);
        int[] red = {level(redSquare, 0, 4, 4), level(redSquare, 1, 4, 4), level(redSquare, 2, 4, 4)};
        assertArrayEquals(new int[] {255, 0, 0}, red, "the red square stays red");
        for (int c = 0; c < 3; c++) {
            assertEquals(200, level(train.sample(0), c, 3, 5), "a grey PNG's level in every channel, channel " + c);
        }
    }

    @Test
    void aFolderOfGreyImagesIsReadInGreyByDefault() throws IOException {
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (String path : List.of("grey/train/a/x.png", "grey/train/b/y.png")) {
            Files.createDirectories(root.resolve(path).getParent());
            ImageIO.write(grey, "png", root.resolve(path).toFile());
        }
        assertEquals(1, ImageFolder.at(root.resolve("grey")).storedChannels());
    }

    @Test
    void masksAreReadFromTheSameRelativePathsAndCroppedWithTheirImage() throws IOException {
        // The 24 x 8 test image's centre square is its 8 x 8 middle; its mask marks the left half of that square.
        image("test/coat/wide.png", 24, 8, BufferedImage.TYPE_INT_RGB, Color.BLACK, Color.WHITE);
        BufferedImage mask = new BufferedImage(24, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 8; x < 12; x++) {
                mask.getRaster().setSample(x, y, 0, 255);
            }
        }
        Path masks = root.resolve("masks");
        Files.createDirectories(masks.resolve("test/coat"));
        ImageIO.write(mask, "png", masks.resolve("test/coat/wide.png").toFile());
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png",
                masks.resolve("test/coat/d.png").toFile());
        StreamedImages test = ImageFolder.at(root).test(3, masks, null, 1, cache(), QUIET);
        assertTrue(test.hasMasks());
        Sample original = test.sample(1);
        assertEquals(24 * 8, original.mask().length, "the mask comes at its image's own size");
        boolean[] wide = centreSquare(original, 8).mask();
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                assertEquals(x < 4, wide[y * 8 + x], "mask pixel " + y + "," + x);
            }
        }
        for (boolean object : test.sample(0).mask()) {
            assertTrue(!object, "an all-black mask has no object");
        }

        Files.delete(masks.resolve("test/coat/d.png"));
        DataException missing = assertThrows(DataException.class,
                () -> ImageFolder.at(root).test(3, masks, null, 1, cache(), QUIET));
        assertTrue(missing.getMessage().contains("d.png") && missing.getMessage().contains("data.masks"),
                missing.getMessage());
    }

    @Test
    void aFewUnreadableImagesAreSkippedWithAWarningNamingThemAndMoreAreAnError() throws IOException {
        for (int i = 0; i < 7; i++) {
            square("train/coat/more" + i + ".png", Color.GRAY, BufferedImage.TYPE_INT_RGB);
        }
        byte[] png = Files.readAllBytes(root.resolve("train/coat/more0.png"));
        Files.write(root.resolve("train/coat/truncated.png"), java.util.Arrays.copyOf(png, png.length / 3));
        ByteArrayOutputStream warned = new ByteArrayOutputStream();
        StreamedImages train = ImageFolder.at(root).toleratingUnreadable(0.1).train(1, null, 0, cache(),
                new PrintStream(warned, true));
        assertEquals(11, train.size());
        int truncated = IntStream.range(0, 11).filter(i -> train.file(i).endsWith("truncated.png")).findFirst()
                .orElseThrow();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < train.size(); i++) {
                Sample sample = train.sample(i);
                int expected = i == truncated ? (i + 1) % 11 : i;
                assertArrayEquals(train.sample(expected).planes(), sample.planes(), "image " + i);
            }
        }
        assertEquals(1, train.unreadableCount(), "counted once, however often it is met");
        assertTrue(warned.toString().contains("skipping an unreadable image (1 of the 11")
                && warned.toString().contains("truncated.png"), warned.toString());
        assertEquals(1, warned.toString().lines().filter(line -> line.contains("unreadable")).count(),
                "warned once: " + warned);
        StreamedImages strict = ImageFolder.at(root).toleratingUnreadable(0.05).train(1, null, 0, cache(), QUIET);
        DataException refused = assertThrows(DataException.class,
                () -> IntStream.range(0, strict.size()).forEach(strict::sample));
        assertTrue(refused.getMessage().contains("data.unreadableLimit") && refused.getMessage().contains(
                "truncated.png"), refused.getMessage());
    }
}

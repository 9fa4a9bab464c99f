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
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image folders: class order, labels, grey levels, centre square resizing, subsets and clear errors. */
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

    @Test
    void readsClassesLabelsAndGreyLevelsOfTheCentredSquare() {
        ImageFolder folder = ImageFolder.at(root);
        assertEquals(List.of("bag", "coat"), folder.classes());
        ImageDataset train = folder.train(8, 1, null, 0, QUIET);
        assertEquals(3, train.size());
        assertArrayEquals(new int[] {0, 0, 1}, train.labels());
        assertEquals(2, train.classes());
        assertEquals(200, train.pixel(0, 0, 3, 5), "a grey PNG keeps its stored levels");
        assertEquals(Math.round(0.299 * 255), train.pixel(1, 0, 7, 0), "colour becomes ITU-R 601 luma");
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                assertEquals(255, train.pixel(2, 0, y, x), "the 24 x 8 image's white centre square, at " + y + "," + x);
            }
        }
        ByteArrayOutputStream announced = new ByteArrayOutputStream();
        ImageDataset test = folder.test(4, 1, null, null, 1, new PrintStream(announced, true));
        assertTrue(announced.toString().contains("reading 1 of the 1 images in " + root.resolve("test")),
                "the reading is announced: " + announced);
        assertEquals(1, test.size());
        assertEquals(1, test.labels()[0]);
        assertEquals(4, test.height());
        assertEquals(255, test.pixel(0, 0, 2, 2));
    }

    @Test
    void aSubsetIsTheOneTheWholeSplitWouldGive() {
        ImageFolder folder = ImageFolder.at(root);
        ImageDataset whole = folder.train(8, 3, null, 0, QUIET);
        for (long seed = 0; seed < 4; seed++) {
            ImageDataset expected = whole.subset(2, seed);
            ImageDataset subset = folder.train(8, 3, 2, seed, QUIET);
            assertArrayEquals(expected.labels(), subset.labels(), "seed " + seed);
            assertArrayEquals(expected.pixels(), subset.pixels(), "seed " + seed);
        }
    }

    @Test
    void badFoldersAndFilesAreNamedWithTheFix() throws IOException {
        ImageFolder folder = ImageFolder.at(root);
        square("test/shirt/f.png", Color.WHITE, BufferedImage.TYPE_INT_RGB);
        DataException unknown = assertThrows(DataException.class,
                () -> folder.test(8, 1, null, null, 1, QUIET));
        assertTrue(unknown.getMessage().contains("shirt") && unknown.getMessage().contains("[bag, coat]"),
                unknown.getMessage());

        Files.writeString(root.resolve("train/bag/broken.png"), "not a png");
        DataException broken = assertThrows(DataException.class,
                () -> folder.train(8, 1, null, 0, QUIET));
        assertTrue(broken.getMessage().contains("broken.png"), broken.getMessage());

        DataException missing = assertThrows(DataException.class, () -> ImageFolder.at(root.resolve("nowhere")));
        assertTrue(missing.getMessage().contains("has no train/") && missing.getMessage().contains("data.path"),
                missing.getMessage());
    }

    @Test
    void colourImagesKeepTheirChannelsAndGreyOnesAreReplicated() {
        ImageFolder folder = ImageFolder.at(root);
        assertEquals(3, folder.storedChannels(), "the first image of class coat is an RGB PNG");
        ImageDataset train = folder.train(8, 3, null, 0, QUIET);
        assertEquals(3, train.channels());
        int[] red = {train.pixel(1, 0, 4, 4), train.pixel(1, 1, 4, 4), train.pixel(1, 2, 4, 4)};
        assertArrayEquals(new int[] {255, 0, 0}, red, "the red square stays red");
        for (int c = 0; c < 3; c++) {
            assertEquals(200, train.pixel(0, c, 3, 5), "a grey PNG's level in every channel, channel " + c);
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
    void masksAreReadFromTheSameRelativePathsAndResizedWithTheirImage() throws IOException {
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
        ImageDataset test = ImageFolder.at(root).test(8, 3, masks, null, 1, QUIET);
        assertTrue(test.hasMasks());
        boolean[] wide = test.mask(1);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                assertEquals(x < 4, wide[y * 8 + x], "mask pixel " + y + "," + x);
            }
        }
        for (boolean object : test.mask(0)) {
            assertTrue(!object, "an all-black mask has no object");
        }

        Files.delete(masks.resolve("test/coat/d.png"));
        DataException missing = assertThrows(DataException.class,
                () -> ImageFolder.at(root).test(8, 3, masks, null, 1, QUIET));
        assertTrue(missing.getMessage().contains("d.png") && missing.getMessage().contains("data.masks"),
                missing.getMessage());
    }

    @Test
    void aFewUnreadableImagesAreSkippedWithAWarningNamingThemAndMoreAreAnError() throws IOException {
        for (int i = 0; i < 7; i++) {
            square("train/coat/more" + i + ".png", Color.GRAY, BufferedImage.TYPE_INT_RGB);
        }
        byte[] jpeg = Files.readAllBytes(root.resolve("train/coat/more0.png"));
        Files.write(root.resolve("train/coat/truncated.png"), java.util.Arrays.copyOf(jpeg, jpeg.length / 3));
        ByteArrayOutputStream warned = new ByteArrayOutputStream();
        ImageDataset train = ImageFolder.at(root).toleratingUnreadable(0.1).train(8, 1, null, 0,
                new PrintStream(warned, true));
        assertEquals(10, train.size(), "11 files, the truncated one skipped");
        assertTrue(warned.toString().contains("skipped 1 unreadable image(s) of 11")
                && warned.toString().contains("truncated.png"), warned.toString());
        DataException refused = assertThrows(DataException.class,
                () -> ImageFolder.at(root).toleratingUnreadable(0.05).train(8, 1, null, 0, QUIET));
        assertTrue(refused.getMessage().contains("data.unreadableLimit") && refused.getMessage().contains(
                "truncated.png"), refused.getMessage());
    }
}

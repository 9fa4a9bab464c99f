package org.poollab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.poollab.api.backbone.Grid;
import org.poollab.api.graph.GraphScope;
import org.poollab.data.ImageDataset;
import org.poollab.data.Preprocessing;
import org.poollab.data.SampleWorkers;
import org.poollab.model.ModelGraph;

/** The attention grids: averaged maps, and per-head maps when the pooling has heads. */
class AttentionQualityTest {

    private static final int SIDE = 4;
    private static final int SCALE = 4; // AttentionQuality draws 4 screen pixels per image pixel

    @TempDir
    Path dir;

    /** One token per pixel; head 0 follows the pixel values, head 1 is uniform. */
    private static ModelGraph twoHeadModel() {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.FLOAT, 0);
        SDVariable images = sd.placeHolder(ModelGraph.IMAGES, DataType.FLOAT, -1, 1, SIDE, SIDE);
        SDVariable pixels = images.reshape(-1, SIDE * SIDE).add(0.01); // 1.01 at the bright pixel, else 0.01
        SDVariable head0 = pixels.div(pixels.sum(true, 1));
        SDVariable head1 = pixels.mul(0).add(1.0 / (SIDE * SIDE));
        SDVariable heads = sd.stack(1, head0, head1); // [B, 2, N]
        return new ModelGraph(sd, scope, images, pixels, Optional.of(heads.mean(1)), new Grid(SIDE, SIDE), 1,
                Optional.of(heads));
    }

    private static ImageDataset images(int count) {
        byte[] pixels = new byte[count * SIDE * SIDE];
        for (int i = 0; i < count; i++) {
            pixels[i * SIDE * SIDE + i % (SIDE * SIDE)] = (byte) 255; // one bright pixel per image
        }
        return new ImageDataset(pixels, new int[count], SIDE, SIDE, 1);
    }

    @Test
    void multiHeadMapsGetAGridOfOneRowPerImageWithTheAverageThenEachHead() throws IOException {
        Path png = dir.resolve("grid.png");
        List<Path> written = new AttentionQuality(16, System.err).render(twoHeadModel(), images(10),
                new Preprocessing(SIDE, 1.0, new double[] {0}, new double[] {1}, 0, null, false,
                        SampleWorkers.of(1)), 10, png);
        assertEquals(List.of(png, dir.resolve("grid-heads.png")), written);
        BufferedImage grid = ImageIO.read(png.toFile());
        assertEquals(8 * SIDE * SCALE, grid.getWidth(), "8 images per row");
        assertEquals(2 * SIDE * SCALE, grid.getHeight(), "10 images -> 2 rows");
        BufferedImage heads = ImageIO.read(written.get(1).toFile());
        assertEquals(3 * SIDE * SCALE, heads.getWidth(), "average + 2 heads");
        assertEquals(AttentionQuality.HEAD_ROWS * SIDE * SCALE, heads.getHeight(), "one row per image, at most 8");
        int tile = SIDE * SCALE;
        // image 0's bright pixel is (0, 0): head 0's map is low elsewhere, head 1's is flat (centres of pixels
        // (0, 1) and (0, 2), dark in the image, so only the map's colour differs)
        int centre = SCALE / 2;
        assertNotEquals(heads.getRGB(tile + SCALE + centre, centre), heads.getRGB(2 * tile + SCALE + centre, centre),
                "head 0 is low away from its peak, head 1 is not");
        assertEquals(heads.getRGB(2 * tile + SCALE + centre, centre), heads.getRGB(2 * tile + 2 * SCALE + centre,
                centre), "head 1 is uniform");
    }

    @Test
    void aSingleMapGetsOneGrid() throws IOException {
        ModelGraph model = twoHeadModel();
        ModelGraph averagedOnly = new ModelGraph(model.sd(), model.scope(), model.images(), model.features(),
                model.attention(), model.grid(), 1);
        assertEquals(1, new AttentionQuality(16, System.err).render(averagedOnly, images(3),
                new Preprocessing(SIDE, 1.0, new double[] {0}, new double[] {1}, 0, null, false,
                        SampleWorkers.of(1)), 3, dir.resolve("one.png")).size());
    }
}

package org.poollab.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The evaluation crop against torchvision's Resize(256) + CenterCrop(224) worked out by hand. */
class CropBoxTest {

    private static final double EPS = 1e-9;

    @Test
    void aLandscapePhotoIsResizedTo256OnItsShorterSideAndCentreCropped() {
        // 500 x 375: Resize(256) gives 341 x 256 (int(256 * 500 / 375) = 341); CenterCrop(224) starts at
        // top round(32 / 2) = 16 and left round(117 / 2) = round(58.5) = 58 (Python rounds half to even).
        CropBox box = CropBox.centre(375, 500, 224, 256.0 / 224);
        assertEquals(16 * 375.0 / 256, box.top(), EPS);
        assertEquals(58 * 500.0 / 341, box.left(), EPS);
        assertEquals(224 * 375.0 / 256, box.height(), EPS);
        assertEquals(224 * 500.0 / 341, box.width(), EPS);
    }

    @Test
    void aPortraitPhotoIsCroppedAlongItsHeight() {
        // 300 x 451 (w x h): Resize(256) gives 256 x 384; the crop starts at top 80, left 16.
        CropBox box = CropBox.centre(451, 300, 224, 256.0 / 224);
        assertEquals(80 * 451.0 / 384, box.top(), EPS);
        assertEquals(16 * 300.0 / 256, box.left(), EPS);
        assertEquals(224 * 451.0 / 384, box.height(), EPS);
    }

    @Test
    void aSquareImageAtRatioOneIsWhole() {
        assertTrue(CropBox.centre(28, 28, 28, 1.0).isWhole(28, 28));
        CropBox shrunk = CropBox.centre(64, 64, 32, 1.0);
        assertTrue(shrunk.isWhole(64, 64), "the whole image, resized: " + shrunk);
        assertTrue(!CropBox.centre(28, 28, 28, 256.0 / 224).isWhole(28, 28));
    }
}

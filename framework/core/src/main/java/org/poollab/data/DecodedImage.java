package org.poollab.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * One image file decoded to planar levels in [0, 1], {@code [C, height, width]}: grey levels (C = 1) or red,
 * green and blue (C = 3). The stored samples are read as they are (never colour-managed); a grey image asked for
 * in colour is replicated over three channels, a colour image asked for in grey becomes ITU-R 601 luma.
 *
 * @param planes {@code [C, height, width]} row-major planes
 * @param channels C
 * @param height rows
 * @param width columns
 */
public record DecodedImage(float[] planes, int channels, int height, int width) {

    /**
     * @param channels 1 or 3
     * @throws UnreadableImageException naming the file if it cannot be decoded
     */
    public static DecodedImage read(Path file, int channels) {
        BufferedImage image = decode(file);
        int height = image.getHeight();
        int width = image.getWidth();
        int area = height * width;
        float[] rgb = new float[3 * area];
        Raster raster = image.getRaster();
        ColorModel colours = image.getColorModel();
        int bands = raster.getNumBands();
        float max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                if (colours instanceof IndexColorModel palette) { // GIF, 8-bit PNG
                    int index = raster.getSample(x, y, 0);
                    rgb[p] = palette.getRed(index) / 255f;
                    rgb[area + p] = palette.getGreen(index) / 255f;
                    rgb[2 * area + p] = palette.getBlue(index) / 255f;
                } else if (bands < 3) { // grey, grey + alpha
                    float level = raster.getSample(x, y, 0) / max;
                    rgb[p] = level;
                    rgb[area + p] = level;
                    rgb[2 * area + p] = level;
                } else {
                    for (int c = 0; c < 3; c++) {
                        rgb[c * area + p] = raster.getSample(x, y, c) / max;
                    }
                }
            }
        }
        return new DecodedImage(channels == 3 ? rgb : luma(rgb, area), channels, height, width);
    }

    /**
     * Whether the file stores colour: three colour components, or a palette with a non-grey entry. Grey PNGs and
     * grey palettes are not colour, whatever their pixels.
     */
    public static boolean isColour(Path file) {
        ColorModel colours = decode(file).getColorModel();
        if (colours instanceof IndexColorModel palette) {
            for (int i = 0; i < palette.getMapSize(); i++) {
                if (palette.getRed(i) != palette.getGreen(i) || palette.getGreen(i) != palette.getBlue(i)) {
                    return true;
                }
            }
            return false;
        }
        return colours.getNumColorComponents() >= 3;
    }

    private static float[] luma(float[] rgb, int area) {
        float[] grey = new float[area];
        for (int p = 0; p < area; p++) {
            for (int c = 0; c < 3; c++) {
                grey[p] += ImageDataset.LUMA[c] * rgb[c * area + p];
            }
        }
        return grey;
    }

    private static BufferedImage decode(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new UnreadableImageException("cannot read the image " + file + " (" + e.getMessage() + "); "
                    + "replace or remove it");
        }
        if (image == null) {
            throw new UnreadableImageException("cannot read the image " + file + ": not a PNG, JPEG, BMP or GIF file; "
                    + "convert or remove it");
        }
        return image;
    }
}

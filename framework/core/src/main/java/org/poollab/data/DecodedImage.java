package org.poollab.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
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
        if (interleavedBytes(image, rgb)) {
            return new DecodedImage(channels == 3 ? rgb : luma(rgb, area), channels, height, width);
        }
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
     * Reads the two layouts ImageIO decodes JPEGs and most PNGs into (8-bit blue-green-red, 8-bit grey) straight
     * from their bytes: the per-pixel {@code getSample} path costs as much as the decoding itself.
     *
     * @param rgb receives the planes {@code [3, H, W]}
     * @return false for other layouts
     */
    private static boolean interleavedBytes(BufferedImage image, float[] rgb) {
        int type = image.getType();
        if ((type != BufferedImage.TYPE_3BYTE_BGR && type != BufferedImage.TYPE_BYTE_GRAY)
                || !(image.getRaster().getDataBuffer() instanceof DataBufferByte buffer)
                || image.getRaster().getParent() != null) {
            return false;
        }
        byte[] bytes = buffer.getData();
        int area = image.getWidth() * image.getHeight();
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
            for (int p = 0; p < area; p++) {
                float level = (bytes[p] & 0xFF) / 255f;
                rgb[p] = level;
                rgb[area + p] = level;
                rgb[2 * area + p] = level;
            }
        } else {
            for (int p = 0; p < area; p++) {
                rgb[p] = (bytes[3 * p + 2] & 0xFF) / 255f;
                rgb[area + p] = (bytes[3 * p + 1] & 0xFF) / 255f;
                rgb[2 * area + p] = (bytes[3 * p] & 0xFF) / 255f;
            }
        }
        return true;
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

package org.poollab.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads the IDX files of MNIST-style data sets, gzipped or not. */
final class IdxReader {

    private static final int UBYTE_IMAGES = 0x00000803;
    private static final int UBYTE_LABELS = 0x00000801;

    private IdxReader() {
    }

    /** @return {@code [n, H, W]} pixels as bytes, with {@code dims = {n, H, W}} filled in */
    static byte[] images(Path file, int[] dims) throws IOException {
        try (DataInputStream in = open(file)) {
            expectMagic(in, UBYTE_IMAGES, file);
            dims[0] = in.readInt();
            dims[1] = in.readInt();
            dims[2] = in.readInt();
            return in.readNBytes(dims[0] * dims[1] * dims[2]);
        }
    }

    static int[] labels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            expectMagic(in, UBYTE_LABELS, file);
            int n = in.readInt();
            byte[] raw = in.readNBytes(n);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
    }

    private static void expectMagic(DataInputStream in, int magic, Path file) throws IOException {
        int found = in.readInt();
        if (found != magic) {
            throw new IOException(file + " is not an IDX file of the expected kind (magic " + Integer.toHexString(found)
                    + ", expected " + Integer.toHexString(magic) + ")");
        }
    }
}

package org.poollab.interop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NumPy's {@code .npy} format, version 1.0: a magic string, a header (a Python dict literal: dtype, order,
 * shape) padded to a multiple of 64 bytes, then the values in C order. {@code numpy.load(f)} reads it.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    private static final int ALIGNMENT = 64;

    private Npy() {
    }

    /**
     * Writes a float32 array atomically.
     *
     * @param array any shape; cast to float32
     */
    public static void write(Path file, INDArray array) throws IOException {
        String shape = Arrays.stream(array.shape()).mapToObj(Long::toString).collect(Collectors.joining(", "));
        StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape
                + (array.rank() == 1 ? "," : "") + "), }");
        int prefix = MAGIC.length + 2;
        while ((prefix + header.length() + 1) % ALIGNMENT != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] text = header.toString().getBytes(StandardCharsets.US_ASCII);
        AtomicFile.write(file, out -> {
            out.write(MAGIC);
            out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) text.length).array());
            out.write(text);
            out.write(SafeTensors.littleEndian(array.castTo(DataType.FLOAT)));
        });
    }
}

package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.data.DataException;
import org.poollab.interop.ExternalTensor;
import org.poollab.interop.StateDict;
import org.poollab.interop.TorchCheckpoint;

/**
 * The PyTorch checkpoint reader on {@code dtypes.pth} of {@code bench/parity_reference.py}: {@code base =
 * arange(24).reshape(2, 3, 4)} in every dtype in use, views with strides and offsets, nested dicts; every value
 * is checked against the formula that made it. And what a file that is not a checkpoint gets.
 */
class TorchCheckpointIT {

    private static final Path DTYPES = ParityIT.FIXTURES.resolve("dtypes.pth");

    @TempDir
    Path dir;

    @Test
    void everyDtypeReadsToItsExactValues() throws IOException {
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(DTYPES)) {
            Map<?, ?> root = (Map<?, ?>) checkpoint.root();
            assertValues(tensor(root, "float32"), "float32", DataType.FLOAT, new long[] {2, 3, 4}, i -> i);
            assertValues(tensor(root, "float16"), "float16", DataType.FLOAT, new long[] {2, 3, 4}, i -> i / 8.0);
            assertValues(tensor(root, "bfloat16"), "bfloat16", DataType.FLOAT, new long[] {2, 3, 4}, i -> i / 4.0);
            assertValues(tensor(root, "float64"), "float64", DataType.DOUBLE, new long[] {2, 3, 4}, i -> i / 3.0);
            INDArray longs = tensor(root, "int64").load();
            assertEquals(DataType.INT64, longs.dataType());
            for (int i = 0; i < 6; i++) {
                assertEquals(i * 1_000_000_007L, longs.getLong(i));
            }
            assertEquals(2.5, tensor(root, "scalar").load().getDouble(0), 0);
            assertEquals(0, tensor(root, "scalar").shape().length, "a 0-d tensor");
        }
    }

    @Test
    void viewsWithStridesAndOffsetsAndNestedDictsReadAsPyTorchShowsThem() throws IOException {
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(DTYPES)) {
            Map<?, ?> root = (Map<?, ?>) checkpoint.root();
            // base.transpose(0, 2)[i][j][k] = base[k][j][i] = 12 k + 4 j + i
            INDArray transposed = tensor(root, "transposed").load();
            assertArrayEquals(new long[] {4, 3, 2}, transposed.shape());
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 3; j++) {
                    for (int k = 0; k < 2; k++) {
                        assertEquals(12 * k + 4 * j + i, transposed.getDouble(i, j, k), 0);
                    }
                }
            }
            // base[1, 1:, ::2][r][c] = 12 + 4 (1 + r) + 2 c: an offset of 16 and a stride of 2
            INDArray sliced = tensor(root, "sliced").load();
            assertArrayEquals(new long[] {2, 2}, sliced.shape());
            assertEquals("[16.0, 18.0, 20.0, 22.0]", Arrays.toString(sliced.dup('c').data().asDouble()));
            Map<?, ?> nested = (Map<?, ?>) root.get("nested");
            INDArray inner = ((ExternalTensor) ((Map<?, ?>) nested.get("inner")).get("tensor")).load();
            assertEquals("[0.0, 1.0, 2.0, 3.0]", Arrays.toString(inner.data().asDouble()));
            assertEquals(7, ((Number) nested.get("number")).intValue());
        }
    }

    @Test
    void aDinoCheckpointOpensAtTheTeacherWithPrefixesStrippedAndAnyKeyOnRequest() throws IOException {
        Path dino = ParityIT.FIXTURES.resolve("vit-simpool.pth");
        try (StateDict.Opened teacher = StateDict.open(dino, null);
             StateDict.Opened student = StateDict.open(dino, "student")) {
            assertEquals("teacher", teacher.stateDict().key());
            assertTrue(teacher.stateDict().tensors().containsKey("blocks.0.attn.qkv.weight"),
                    "backbone. is stripped: " + teacher.stateDict().tensors().keySet());
            assertTrue(student.stateDict().tensors().containsKey("blocks.0.attn.qkv.weight"),
                    "module.backbone. is stripped: " + student.stateDict().tensors().keySet());
            assertEquals(teacher.stateDict().tensors().get("pos_embed").load(),
                    student.stateDict().tensors().get("pos_embed").load(), "the two share one storage");
        }
    }

    @Test
    void filesThatAreNotCheckpointsGetAnErrorNamingThem() throws IOException {
        byte[] real = Files.readAllBytes(DTYPES);
        Path truncated = dir.resolve("truncated.pth");
        Files.write(truncated, Arrays.copyOf(real, real.length / 2));
        Path noise = dir.resolve("noise.pth");
        byte[] random = new byte[4096];
        new Random(1).nextBytes(random);
        Files.write(noise, random);
        Path otherZip = dir.resolve("other.pth");
        try (OutputStream out = Files.newOutputStream(otherZip); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("hello".getBytes());
        }
        for (Path file : new Path[] {truncated, noise, otherZip}) {
            DataException error = assertThrows(DataException.class, () -> StateDict.open(file, null).close());
            assertTrue(error.getMessage().contains(file.toString()) && error.getMessage().contains("not a"),
                    error.getMessage());
        }
        Path missing = dir.resolve("absent.safetensors");
        DataException absent = assertThrows(DataException.class, () -> StateDict.open(missing, null).close());
        assertTrue(absent.getMessage().contains(missing.toString()), absent.getMessage());
    }

    private static ExternalTensor tensor(Map<?, ?> root, String name) {
        return (ExternalTensor) root.get(name);
    }

    private static void assertValues(ExternalTensor tensor, String dtype, DataType type, long[] shape,
                                     IntToDoubleFunction value) {
        assertEquals(dtype, tensor.dtype());
        INDArray array = tensor.load();
        assertEquals(type, array.dataType(), dtype);
        assertArrayEquals(shape, array.shape(), dtype);
        double[] values = array.dup('c').data().asDouble();
        for (int i = 0; i < values.length; i++) {
            assertEquals(value.applyAsDouble(i), values[i], 0, dtype + " element " + i);
        }
    }
}

package org.poollab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointTest {

    @TempDir
    Path dir;

    @Test
    void arraysAndTextsReadBackAndNoTemporaryFileRemains() throws IOException {
        INDArray weights = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
        Path file = dir.resolve("run/epoch-001.zip");
        new Checkpoint().text("config.yaml", "seed: 3\n").arrays("student", Map.of("blocks.0/W", weights))
                .write(file);
        new Checkpoint().text("config.yaml", "seed: 4\n").arrays("student", Map.of("blocks.0/W", weights.mul(2)))
                .write(file); // replaces the previous one in place
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertEquals("seed: 4\n", new String(zip.getInputStream(zip.getEntry("config.yaml")).readAllBytes(),
                    StandardCharsets.UTF_8));
            INDArray read = Nd4j.read(new DataInputStream(zip.getInputStream(zip.getEntry("student/blocks.0/W.bin"))));
            assertEquals(weights.mul(2), read);
        }
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aTruncatedOrBitFlippedCheckpointIsReportedByNameAndAnIntactOneReadsBack() throws IOException {
        INDArray weights = Nd4j.rand(16, 64);
        Path file = dir.resolve("epoch-001.zip");
        new Checkpoint().text("state.properties", "epochsDone=1\n").arrays("model", Map.of("W", weights)).write(file);
        Checkpoint intact = Checkpoint.read(file);
        assertEquals(weights, intact.arraysOf("model").get("W"));
        assertEquals("epochsDone=1\n", intact.text("state.properties").orElseThrow());

        byte[] bytes = Files.readAllBytes(file);
        Path truncated = Files.write(dir.resolve("truncated.zip"), Arrays.copyOf(bytes, bytes.length * 2 / 3));
        assertCorrupt(truncated);
        // Every single flipped bit in the file is caught: by the zip's structure, its inflater, or a checksum.
        for (int offset = 0; offset < bytes.length; offset += 7) {
            byte[] flipped = bytes.clone();
            flipped[offset] ^= 0x10;
            Path damaged = Files.write(dir.resolve("flipped.zip"), flipped);
            try {
                Checkpoint read = Checkpoint.read(damaged);
                // A flip in a part no entry's bytes depend on (a timestamp, the zip comment) changes nothing.
                assertEquals(weights, read.arraysOf("model").get("W"), "flip at " + offset);
                assertEquals("epochsDone=1\n", read.text("state.properties").orElseThrow(), "flip at " + offset);
            } catch (CorruptCheckpointException e) {
                assertTrue(e.getMessage().contains("flipped.zip"), e.getMessage());
            }
        }
    }

    private static void assertCorrupt(Path file) {
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains(file.getFileName().toString()) && e.getMessage().contains("corrupt"),
                e.getMessage());
    }
}

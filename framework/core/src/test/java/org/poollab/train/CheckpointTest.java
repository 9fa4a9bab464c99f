package org.poollab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}

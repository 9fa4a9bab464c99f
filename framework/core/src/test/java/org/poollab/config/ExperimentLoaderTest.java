package org.poollab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentLoaderTest {

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("x.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void fillsDefaultsAndAppliesOverrides() throws IOException {
        ExperimentConfig config = ExperimentLoader.load(write("experiment: e\npooling: {id: gap}\n"),
                List.of("trainer.epochs=3", "pooling.params.gamma=1.25"));
        assertEquals(3, config.trainer().epochs());
        assertEquals(1.25, config.pooling().params().get("gamma"));
        assertEquals(List.of(10, 20, 100, 200), config.eval().k());
        assertEquals("3", config.flattened().get("trainer.epochs"));
        assertEquals("0.07", config.flattened().get("eval.knn.temperature"));
    }

    @Test
    void namesTheYamlPathOfAWrongType() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ExperimentLoader.load(write("experiment: e\ntrainer: {epochs: many}\n"), List.of()));
        assertEquals("trainer.epochs", e.path());
        assertTrue(e.getMessage().contains("integer"), e.getMessage());
    }

    @Test
    void refusesUnknownKeysListingTheKnownOnes() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ExperimentLoader.load(write("experiment: e\ntrainer: {epoch: 2}\n"), List.of()));
        assertEquals("trainer.epoch", e.path());
        assertTrue(e.getMessage().contains("epochs"), e.getMessage());
    }

    @Test
    void anImageFolderNeedsItsPathAndOnlyItTakesAnImageSize() throws IOException {
        ConfigException noPath = assertThrows(ConfigException.class,
                () -> ExperimentLoader.load(write("experiment: e\ndata: {dataset: imagefolder}\n"), List.of()));
        assertEquals("data.path", noPath.path());
        ConfigException size = assertThrows(ConfigException.class,
                () -> ExperimentLoader.load(write("experiment: e\ndata: {imageSize: 32}\n"), List.of()));
        assertEquals("data.imageSize", size.path());
        ExperimentConfig folder = ExperimentLoader.load(write("experiment: e\n"
                + "data: {dataset: imagefolder, path: /d, imageSize: 32}\n"), List.of());
        assertEquals(32, folder.data().imageSize());
        assertTrue(!folder.data().hasObjectMasks() && ExperimentLoader.load(write("experiment: e\n"), List.of())
                .data().hasObjectMasks(), "only Fashion-MNIST has object masks for the attention Jaccard");
    }

    @Test
    void reportsMalformedYaml() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ExperimentLoader.load(write("experiment: [unclosed\n"), List.of()));
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @Test
    void refusesArbitraryTypesAndAliasBombs() throws IOException {
        assertThrows(ConfigException.class, () -> ExperimentLoader.load(
                write("experiment: !!java.io.File /etc/passwd\n"), List.of()));
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'z'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *")
                    .append(p).append("]\n");
        }
        assertThrows(ConfigException.class, () -> ExperimentLoader.load(write(bomb.toString()), List.of()));
    }

    @Test
    void requiresTheExperimentName() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ExperimentLoader.load(write("seed: 1\n"), List.of()));
        assertEquals("experiment", e.path());
    }
}

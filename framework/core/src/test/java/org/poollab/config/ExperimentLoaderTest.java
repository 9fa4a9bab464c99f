package org.poollab.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poollab.api.graph.Precision;

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
        assertEquals(null, folder.data().channels(), "channels default to the data's own (auto)");
    }

    @Test
    void aPluginParameterWithoutAValueIsNamed() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> ExperimentLoader.load(
                write("experiment: e\nbackbone: {params: {pat, ch: 8}}\n"), List.of()));
        assertEquals("backbone.params.pat", e.path());
    }

    @Test
    void channelsAndPerChannelNormalisationAreValidatedAgainstEachOther() throws IOException {
        ExperimentConfig colour = ExperimentLoader.load(write("experiment: e\n"
                + "data: {channels: 3, mean: [0.5, 0.4, 0.3], std: 0.25}\n"), List.of());
        assertEquals(3, colour.data().channels());
        assertArrayEquals(new double[] {0.5, 0.4, 0.3}, colour.data().means(3));
        assertArrayEquals(new double[] {0.25, 0.25, 0.25}, colour.data().stds(3), "one value serves every channel");
        ExperimentConfig defaults = ExperimentLoader.load(write("experiment: e\n"), List.of());
        assertArrayEquals(new double[] {0.485, 0.456, 0.406}, defaults.data().means(3), "ImageNet's for colour");
        assertArrayEquals(new double[] {0.2860}, defaults.data().means(1), "Fashion-MNIST's for grey");
        ConfigException mismatch = assertThrows(ConfigException.class, () -> colour.data().means(1));
        assertEquals("data.mean", mismatch.path());
        ConfigException channels = assertThrows(ConfigException.class,
                () -> ExperimentLoader.load(write("experiment: e\ndata: {channels: 2}\n"), List.of()));
        assertEquals("data.channels", channels.path());
        ConfigException two = assertThrows(ConfigException.class,
                () -> ExperimentLoader.load(write("experiment: e\ndata: {mean: [0.1, 0.2]}\n"), List.of()));
        assertEquals("data.mean", two.path());
        ConfigException masks = assertThrows(ConfigException.class,
                () -> ExperimentLoader.load(write("experiment: e\ndata: {masks: /m}\n"), List.of()));
        assertEquals("data.masks", masks.path());
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

    @Test
    void replicasDefaultToAutoMustDivideTheBatchAndAreRefusedForMocoV3() throws IOException {
        assertEquals(null, ExperimentLoader.load(write("experiment: e\n"), List.of()).trainer().replicas());
        assertEquals(1, ExperimentLoader.load(write("experiment: e\ntrainer: {batchSize: 7, replicas: auto}\n"),
                List.of()).trainer().replicaCount(), "7 images split into no fewer than 7 shards");
        ConfigException small = assertThrows(ConfigException.class, () -> ExperimentLoader.load(write(
                "experiment: e\ntrainer: {replicas: 2}\n"), List.of()).trainer().replicaCount(25));
        assertTrue(small.getMessage().contains("25 images"), small.getMessage());
        assertEquals(4, ExperimentLoader.load(write("experiment: e\ntrainer: {replicas: 4}\n"), List.of()).trainer()
                .replicaCount());
        int auto = ExperimentLoader.load(write("experiment: e\ntrainer: {replicas: auto, batchSize: 60}\n"),
                List.of()).trainer().replicaCount();
        assertTrue(auto >= 1 && auto <= Runtime.getRuntime().availableProcessors() && 60 % auto == 0, "auto: " + auto);
        ConfigException uneven = assertThrows(ConfigException.class, () -> ExperimentLoader.load(write(
                "experiment: e\ntrainer: {replicas: 3, batchSize: 64}\n"), List.of()));
        assertTrue(uneven.getMessage().contains("trainer.replicas") && uneven.getMessage().contains("64"),
                uneven.getMessage());
        ConfigException moco = assertThrows(ConfigException.class, () -> ExperimentLoader.load(write(
                "experiment: e\ntrainer: {id: mocov3, replicas: 2}\n"), List.of()));
        assertTrue(moco.getMessage().contains("trainer.replicas") && moco.getMessage().contains("MoCo v3"),
                moco.getMessage());
        assertEquals(1, ExperimentLoader.load(write("experiment: e\ntrainer: {id: mocov3, replicas: auto}\n"),
                List.of()).trainer().replicaCount());
    }

    @Test
    void precisionDefaultsToFp32AndNamesTheFieldWhenUnknown() throws IOException {
        assertEquals(Precision.FP32, ExperimentLoader.load(write("experiment: e\n"), List.of()).trainer().precision());
        assertEquals(Precision.BF16_MATMUL, ExperimentLoader.load(write(
                "experiment: e\ntrainer: {precision: bf16-matmul}\n"), List.of()).trainer().precision());
        ConfigException unknown = assertThrows(ConfigException.class, () -> ExperimentLoader.load(write(
                "experiment: e\ntrainer: {precision: fp16}\n"), List.of()));
        assertTrue(unknown.getMessage().contains("trainer.precision") && unknown.getMessage().contains("bf16-matmul"),
                unknown.getMessage());
    }
}

package org.poollab.train.dino;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.config.DinoConfig;
import org.poollab.config.ExperimentLoader;
import org.poollab.testkit.GradientCheck;

/** The DINO head: unit-norm prototypes with normLastLayer, and gradients against finite differences. */
class DinoHeadTest {

    @TempDir
    Path dir;

    private DinoConfig dino(boolean normLastLayer) throws IOException {
        Path file = dir.resolve("d.yaml");
        Files.writeString(file, "experiment: d\ntrainer: {id: dino, dino: {hiddenDim: 6, bottleneckDim: 4, outDim: 5, "
                + "normLastLayer: " + normLastLayer + "}}\n");
        return ExperimentLoader.load(file, List.of()).trainer().dino();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void gradientsMatchFiniteDifferences(boolean normLastLayer) throws IOException {
        SameDiff sd = SameDiff.create();
        Nd4j.getRandom().setSeed(2);
        SDVariable features = sd.var("features", Nd4j.randn(DataType.DOUBLE, 3, 7));
        SDVariable logits = new DinoHead(new Layers(), dino(normLastLayer))
                .apply(GraphScope.root(sd, DataType.DOUBLE, 5).child("head"), features, 7);
        SDVariable loss = logits.mul(sd.constant(Nd4j.randn(DataType.DOUBLE, 3, 5))).sum();
        // At the init scale (std 0.02) the bottleneck vector is tiny and its normalisation so curved that finite
        // differences lose accuracy; well-scaled weights test the same formula.
        for (String layer : List.of("mlp.0", "mlp.2", "mlp.4")) {
            sd.getVariable("head/" + layer + "/W").getArr().muli(40);
        }
        // up to 12 entries each: features 12, mlp W 3 x 12, biases 6 + 6 + 4, v 12 (and g 5)
        int entries = 12 + 36 + 16 + 12 + (normLastLayer ? 0 : 5);
        assertEquals(entries, new GradientCheck(1e-5, 1e-7, 12).assertGradients(sd, loss, Map.of()));
    }

    @Test
    void logitsAreCosinesBetweenTheBottleneckAndUnitPrototypes() throws IOException {
        SameDiff sd = SameDiff.create();
        Nd4j.getRandom().setSeed(3);
        SDVariable features = sd.var("features", Nd4j.randn(DataType.DOUBLE, 4, 7));
        INDArray logits = new DinoHead(new Layers(), dino(true))
                .apply(GraphScope.root(sd, DataType.DOUBLE, 5).child("head"), features, 7).eval();
        // |cos| <= 1, and some logit is far from 0 for random prototypes in 4 dimensions
        assertEquals(1.0, Math.max(logits.maxNumber().doubleValue(), -logits.minNumber().doubleValue()), 0.7);
        for (double v : logits.data().asDouble()) {
            assertEquals(0, v, 1.0 + 1e-9);
        }
    }
}

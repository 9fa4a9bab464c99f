package org.poollab.api.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.testkit.GradientCheck;

/** LayerNorm, and LayerNorm folded into the next linear layer, against plain Java and each other. */
class LayersTest {

    private static final int B = 2;
    private static final int N = 3;
    private static final int IN = 4;
    private static final int OUT = 5;
    private static final double EPS = 1e-6;

    private final Layers layers = new Layers();

    /** Random values for every parameter, so that gains and biases are not the identity. */
    private static void randomise(SameDiff sd) {
        Nd4j.getRandom().setSeed(11);
        sd.variables().stream().filter(v -> v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE)
                .forEach(v -> v.getArr().assign(Nd4j.randn(DataType.DOUBLE, v.getArr().shape())));
    }

    @Test
    void aLearnedTokenIsRepeatedForEveryImageAndItsGradientIsTheSumOverTheBatch() {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.DOUBLE, 0);
        SDVariable tokens = sd.placeHolder("tokens", DataType.DOUBLE, -1, N, IN);
        SDVariable vector = scope.parameter("cls", Nd4j.randn(DataType.DOUBLE, 1, IN));
        SDVariable slots = scope.parameter("slots", Nd4j.randn(DataType.DOUBLE, 1, 2, IN));
        SDVariable perImage = layers.repeatPerImage(sd, vector, tokens);
        SDVariable perImageSlots = layers.repeatPerImage(sd, slots, tokens);
        SDVariable loss = perImage.mul(perImage).sum().add(perImageSlots.sum());
        sd.setLossVariables(loss);
        Map<String, INDArray> feed = Map.of("tokens", Nd4j.randn(DataType.DOUBLE, 3, N, IN));
        Map<String, INDArray> out = sd.output(feed, perImage.name(), perImageSlots.name());
        assertEquals(java.util.List.of(3L, (long) IN), java.util.Arrays.stream(out.get(perImage.name()).shape())
                .boxed().toList());
        assertEquals(java.util.List.of(3L, 2L, (long) IN), java.util.Arrays.stream(out.get(perImageSlots.name())
                .shape()).boxed().toList());
        for (int b = 0; b < 3; b++) {
            assertEquals(vector.getArr().getRow(0), out.get(perImage.name()).getRow(b));
        }
        Map<String, INDArray> gradients = sd.calculateGradients(feed, "cls", "slots");
        assertEquals(vector.getArr().mul(2 * 3), gradients.get("cls"), "d/dv of sum over 3 images of |v|^2");
        assertEquals(3.0 * 2 * IN, gradients.get("slots").sumNumber().doubleValue(), 1e-12);
    }

    @Test
    void layerNormMatchesAPlainComputation() {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.DOUBLE, 0);
        INDArray x = Nd4j.randn(DataType.DOUBLE, B, N, IN);
        SDVariable y = layers.layerNorm(scope, "n", sd.constant(x), 3, IN, EPS);
        randomise(sd);
        INDArray out = y.eval();
        INDArray gain = sd.getArrForVarName("n/gain");
        INDArray bias = sd.getArrForVarName("n/bias");
        double[] row = x.slice(1).getRow(2).toDoubleVector();
        double mean = java.util.Arrays.stream(row).average().orElseThrow();
        double variance = java.util.Arrays.stream(row).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        for (int c = 0; c < IN; c++) {
            double expected = (row[c] - mean) / Math.sqrt(variance + EPS) * gain.getDouble(c) + bias.getDouble(c);
            assertEquals(expected, out.getDouble(1, 2, c), 1e-12);
        }
    }

    @Test
    void softmaxMatchesAPlainComputationAlongAnyAxisAndHasExactGradients() {
        SameDiff sd = SameDiff.create();
        INDArray values = Nd4j.randn(DataType.DOUBLE, B, N, IN).muli(3);
        SDVariable x = sd.var("x", values);
        SDVariable middle = layers.softmax(sd, x, 1);
        SDVariable last = layers.softmax(sd, x, 2);
        Map<String, INDArray> out = sd.output(Map.of(), middle.name(), last.name());
        double[] column = new double[N];
        for (int n = 0; n < N; n++) {
            column[n] = values.getDouble(1, n, 3);
        }
        double max = java.util.Arrays.stream(column).max().orElseThrow();
        double total = java.util.Arrays.stream(column).map(v -> Math.exp(v - max)).sum();
        for (int n = 0; n < N; n++) {
            assertEquals(Math.exp(column[n] - max) / total, out.get(middle.name()).getDouble(1, n, 3), 1e-12);
        }
        assertEquals(1.0, out.get(last.name()).sum(2).getDouble(0, 2), 1e-12);
        SDVariable loss = middle.mul(sd.constant(Nd4j.randn(DataType.DOUBLE, B, N, IN))).sum()
                .add(last.mul(sd.constant(Nd4j.randn(DataType.DOUBLE, B, N, IN))).sum());
        assertTrue(GradientCheck.standard().assertGradients(sd, loss, Map.of()) > 10);
    }

    @Test
    void theFoldedMlpEqualsNormLinearGeluLinearAndScaleAndHasExactGradients() {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.DOUBLE, 0);
        SDVariable x = sd.var("x", Nd4j.randn(DataType.DOUBLE, B, N, IN));
        SDVariable scale = scope.parameter("gamma", Nd4j.ones(DataType.DOUBLE, IN));
        Layers.MlpNames names = new Layers.MlpNames("n", "fc1", "fc2");
        SDVariable plain = layers.normalisedMlp(scope, names, x, N, IN, OUT, EPS, null);
        SDVariable scaled = layers.normalisedMlp(scope, names, x, N, IN, OUT, EPS, scale);
        SDVariable hidden = layers.gelu(sd, layers.linearTokens(scope, "fc1", layers.layerNorm(scope, "n", x, 3, IN,
                EPS), N, IN, OUT, true)); // the same parameters, by name
        SDVariable reference = layers.linearTokens(scope, "fc2", hidden, N, OUT, IN, true);
        randomise(sd);
        Map<String, INDArray> out = sd.output(Map.of(), plain.name(), scaled.name(), reference.name());
        INDArray expected = out.get(reference.name());
        assertEquals(0, out.get(plain.name()).sub(expected).amaxNumber().doubleValue(), 1e-12);
        INDArray expectedScaled = expected.mul(sd.getArrForVarName("gamma").reshape(1, 1, IN));
        assertEquals(0, out.get(scaled.name()).sub(expectedScaled).amaxNumber().doubleValue(), 1e-12);
        SDVariable loss = scaled.mul(sd.constant(Nd4j.randn(DataType.DOUBLE, B, N, IN))).sum();
        assertTrue(GradientCheck.standard().assertGradients(sd, loss, Map.of()) > 40);
    }

    @Test
    void theFoldedNormAndLinearEqualTheNormThenTheLinearAndHaveExactGradients() {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.DOUBLE, 0);
        SDVariable x = sd.var("x", Nd4j.randn(DataType.DOUBLE, B, N, IN));
        SDVariable folded = layers.normalisedLinearTokens(scope, "n", "l", x, N, IN, OUT, true, EPS);
        SDVariable separate = layers.linearTokens(scope, "l", layers.layerNorm(scope, "n", x, 3, IN, EPS), N, IN,
                OUT, true); // the same parameters, by name
        randomise(sd);
        Map<String, INDArray> out = sd.output(Map.of(), folded.name(), separate.name());
        assertEquals(0, out.get(folded.name()).sub(out.get(separate.name())).amaxNumber().doubleValue(), 1e-12);
        SDVariable loss = folded.mul(sd.constant(Nd4j.randn(DataType.DOUBLE, B, N, OUT))).sum();
        assertTrue(GradientCheck.standard().assertGradients(sd, loss, Map.of()) > 20);
    }

    @Test
    void layerNormWrittenWithProductsHasTheBroadcastFormulationsValueAndGradientsAndPassesFiniteDifferences() {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.DOUBLE, 0);
        SDVariable x = sd.var("x", Nd4j.randn(DataType.DOUBLE, B, N, IN));
        SDVariable normed = layers.layerNorm(scope, "n", x, 3, IN, EPS);
        randomise(sd);
        // The broadcast formulation it replaces: statistics with keep-dims reductions, gain and bias broadcast.
        SDVariable centred = x.sub(x.mean(true, 2));
        SDVariable variance = centred.mul(centred).mean(true, 2);
        SDVariable broadcast = centred.mul(sd.math.rsqrt(variance.add(EPS))).mul(sd.getVariable("n/gain"))
                .add(sd.getVariable("n/bias"));
        INDArray weights = Nd4j.randn(DataType.DOUBLE, B, N, IN);
        SDVariable loss = normed.mul(sd.constant(weights)).sum();
        SDVariable oldLoss = broadcast.mul(sd.constant(weights)).sum();
        Map<String, INDArray> out = sd.output(Map.of(), normed.name(), broadcast.name());
        assertEquals(0, out.get(normed.name()).sub(out.get(broadcast.name())).amaxNumber().doubleValue(), 1e-12);
        sd.setLossVariables(loss);
        Map<String, INDArray> gradients = sd.calculateGradients(Map.of(), "x", "n/gain", "n/bias");
        sd.setLossVariables(oldLoss);
        Map<String, INDArray> oldGradients = sd.calculateGradients(Map.of(), "x", "n/gain", "n/bias");
        for (String name : gradients.keySet()) {
            assertEquals(0, gradients.get(name).sub(oldGradients.get(name)).amaxNumber().doubleValue(), 1e-12, name);
        }
        assertEquals(12 + IN + IN, GradientCheck.standard().assertGradients(sd, loss, Map.of()), "x, gain, bias");
    }
}

package org.poollab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.config.LinearProbeConfig;

class LinearProbeTest {

    private static final PrintStream SILENT = new PrintStream(OutputStream.nullOutputStream());
    private static final int CLASSES = 10;

    @Test
    void separableFeaturesAreClassifiedPerfectlyByBothOptimisers() {
        Random random = new Random(3);
        Labelled train = separable(random, 600);
        Labelled test = separable(random, 300);
        for (LinearProbeConfig config : new LinearProbeConfig[] {
                new LinearProbeConfig(20, 64, 1e-2, 0, LinearProbeConfig.ADAMW),
                new LinearProbeConfig(20, 64, 0.1, 1e-4, LinearProbeConfig.SGD)}) {
            Map<String, Double> metrics = new LinearProbe(config, 0, SILENT).evaluate(train.features, train.labels,
                    test.features, test.labels, CLASSES);
            assertEquals(100.0, metrics.get("linear_top1"), 1e-9, config.optimizer());
            assertEquals(100.0, metrics.get("linear_top5"), 1e-9, config.optimizer());
        }
    }

    @Test
    void pureNoiseScoresNearChance() {
        Random random = new Random(4);
        Labelled train = noise(random, 3000);
        Labelled test = noise(random, 3000);
        Map<String, Double> metrics = new LinearProbe(new LinearProbeConfig(10, 128, 1e-3, 0,
                LinearProbeConfig.ADAMW), 0, SILENT).evaluate(train.features, train.labels, test.features,
                test.labels, CLASSES);
        // chance is 10 % (top-5: 50 %); the standard error over 3000 test samples is 0.55 (0.91) points
        assertEquals(10, metrics.get("linear_top1"), 3);
        assertEquals(50, metrics.get("linear_top5"), 5);
    }

    @Test
    void theSameSeedGivesTheSameNumbersAndAnotherSeedOtherWeights() {
        Random random = new Random(5);
        Labelled train = noise(random, 500);
        LinearProbeConfig config = new LinearProbeConfig(3, 32, 1e-2, 0.05, LinearProbeConfig.ADAMW);
        INDArray first = new LinearProbe(config, 7, SILENT).train(train.features, train.labels, CLASSES).weights();
        INDArray second = new LinearProbe(config, 7, SILENT).train(train.features, train.labels, CLASSES).weights();
        INDArray other = new LinearProbe(config, 8, SILENT).train(train.features, train.labels, CLASSES).weights();
        assertEquals(first, second);
        assertNotEquals(first, other);
    }

    @Test
    void theClosedFormGradientMatchesFiniteDifferencesOfTheLoss() {
        Random random = new Random(6);
        int dim = 5;
        int classes = 4;
        INDArray x = Nd4j.randn(DataType.DOUBLE, 7, dim);
        INDArray labels = LinearProbe.oneHot(random.ints(7, 0, classes).toArray(), classes).castTo(DataType.DOUBLE);
        LinearProbe.Classifier classifier = new LinearProbe.Classifier(Nd4j.randn(DataType.DOUBLE, dim, classes),
                Nd4j.randn(DataType.DOUBLE, 1, classes));
        LinearProbe.Gradient analytic = classifier.gradient(x, labels);
        double h = 1e-6;
        for (INDArray[] pair : new INDArray[][] {{classifier.weights(), analytic.weights()},
                {classifier.bias(), analytic.bias()}}) {
            INDArray parameter = pair[0];
            for (int i = 0; i < parameter.length(); i++) {
                double saved = parameter.getDouble(i);
                parameter.putScalar(i, saved + h);
                double plus = classifier.gradient(x, labels).loss();
                parameter.putScalar(i, saved - h);
                double minus = classifier.gradient(x, labels).loss();
                parameter.putScalar(i, saved);
                assertEquals((plus - minus) / (2 * h), pair[1].getDouble(i), 1e-7, "entry " + i);
            }
        }
        assertTrue(analytic.loss() > 0);
    }

    /** Class c sits at 4 e_c in 16 dimensions, with noise of standard deviation 0.5: a margin of many sigmas. */
    private static Labelled separable(Random random, int n) {
        int dim = 16;
        double[][] features = new double[n][dim];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            for (int j = 0; j < dim; j++) {
                features[i][j] = random.nextGaussian() * 0.5 + (j == labels[i] ? 4 : 0);
            }
        }
        return new Labelled(Nd4j.create(features).castTo(DataType.FLOAT), labels);
    }

    /** Gaussian features with labels drawn independently of them. */
    private static Labelled noise(Random random, int n) {
        double[][] features = new double[n][32];
        for (double[] row : features) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return new Labelled(Nd4j.create(features).castTo(DataType.FLOAT), random.ints(n, 0, CLASSES).toArray());
    }

    private record Labelled(INDArray features, int[] labels) {
    }
}

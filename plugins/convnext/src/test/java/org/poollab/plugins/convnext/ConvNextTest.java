package org.poollab.plugins.convnext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.backbone.BackboneModule;
import org.poollab.api.backbone.Features;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.ParamException;
import org.poollab.api.param.Params;
import org.poollab.testkit.GradientCheck;

class ConvNextTest {

    private static final ImageShape INPUT = new ImageShape(1, 8, 8);

    private final ConvNext convnext = new ConvNext(new Layers());

    private BackboneModule tiny(Map<String, Object> overrides) {
        Map<String, Object> base = new HashMap<>(Map.of("stem", 2, "dim", 4, "stages", 2, "depth", 1, "kernel", 3));
        base.putAll(overrides);
        return convnext.create(Params.resolve(convnext.parameters(), Map.of(), base), INPUT);
    }

    @Test
    void theLastFeatureMapBecomesTokensOnItsGridAtAnyDivisibleSize() {
        for (int size : new int[] {8, 12}) {
            SameDiff sd = SameDiff.create();
            Features features = tiny(Map.of()).forward(GraphScope.root(sd, DataType.DOUBLE, 1),
                    sd.constant(Nd4j.rand(DataType.DOUBLE, 3, 1, size, size)), new ImageShape(1, size, size),
                    List.of());
            int side = size / 4;
            assertEquals(side * side, features.grid().tokens());
            assertArrayEquals(new long[] {3, side * side, 4}, features.tokens().eval().shape());
        }
        assertFalse(tiny(Map.of()).supportsPrefixTokens(), "no [CLS] token in a CNN");
    }

    @Test
    void withZeroLayerScaleTheBlocksAreIdentitiesAndTheTokensAreStemAndDownsampling() {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.DOUBLE, 3);
        Nd4j.getRandom().setSeed(4);
        INDArray image = Nd4j.rand(DataType.DOUBLE, 1, 1, 8, 8);
        Features features = tiny(Map.of("layerScale", 0.0)).forward(scope, sd.constant(image), INPUT, List.of());
        double[][] tokens = features.tokens().eval().reshape(4, 4).toDoubleMatrix(); // [2x2 positions, 4 channels]
        double[][][] stem = patchConv(new double[][][] {image.reshape(8, 8).toDoubleMatrix()}, array(sd, "stem/W"),
                array(sd, "stem/b").reshape(-1).toDoubleVector(), 2); // [2][4][4]
        double[][][] down = patchConv(channelNorm(channelNorm(stem)), array(sd, "down1.conv/W"),
                array(sd, "down1.conv/b").reshape(-1).toDoubleVector(), 2); // [4][2][2]
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                for (int c = 0; c < 4; c++) {
                    assertEquals(down[c][y][x], tokens[y * 2 + x][c], 1e-9, "token (" + y + "," + x + ") ch " + c);
                }
            }
        }
    }

    @Test
    void gradientsOfEveryParameterMatchFiniteDifferences() {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.DOUBLE, 5);
        Nd4j.getRandom().setSeed(6);
        // dim 8: stage 0 has 4 channels (a LayerNorm over 2 channels is a smoothed sign, too sharp for FD)
        Features features = tiny(Map.of("layerScale", 0.5, "dim", 8)).forward(scope,
                sd.constant(Nd4j.rand(DataType.DOUBLE, 2, 1, 8, 8)), INPUT, List.of());
        SDVariable tokenLoss = features.tokens().mul(sd.constant(Nd4j.randn(DataType.DOUBLE, 2, 4, 8))).sum();
        SDVariable pooled = features.finalNorm().apply(features.tokens().mean(1));
        SDVariable loss = tokenLoss.add(pooled.mul(sd.constant(Nd4j.randn(DataType.DOUBLE, 2, 8))).sum());
        assertTrue(GradientCheck.standard().assertGradients(sd, loss, Map.of()) > 100);
    }

    @Test
    void badSettingsNameTheirParameter() {
        assertEquals("kernel", assertThrows(ParamException.class, () -> tiny(Map.of("kernel", 4))).parameter());
        assertEquals("dim", assertThrows(ParamException.class, () -> tiny(Map.of("dim", 5))).parameter());
        assertEquals("stem", assertThrows(ParamException.class, () -> tiny(Map.of("stem", 3))).parameter());
    }

    private static INDArray array(SameDiff sd, String name) {
        return sd.getVariable(name).getArr();
    }

    /** A p x p stride-p convolution of {@code [in][h][w]} with weights {@code [p, p, in, out]}. */
    private static double[][][] patchConv(double[][][] x, INDArray weights, double[] bias, int p) {
        int in = x.length;
        int out = bias.length;
        int h = x[0].length / p;
        int w = x[0][0].length / p;
        double[][][] y = new double[out][h][w];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double s = bias[o];
                    for (int c = 0; c < in; c++) {
                        for (int ky = 0; ky < p; ky++) {
                            for (int kx = 0; kx < p; kx++) {
                                s += x[c][i * p + ky][j * p + kx] * weights.getDouble(ky, kx, c, o);
                            }
                        }
                    }
                    y[o][i][j] = s;
                }
            }
        }
        return y;
    }

    /** LayerNorm over the channels at each position (gain 1, bias 0, eps 1e-6). */
    private static double[][][] channelNorm(double[][][] x) {
        int c = x.length;
        double[][][] y = new double[c][x[0].length][x[0][0].length];
        for (int i = 0; i < x[0].length; i++) {
            for (int j = 0; j < x[0][0].length; j++) {
                double mean = 0;
                for (double[][] channel : x) {
                    mean += channel[i][j] / c;
                }
                double variance = 0;
                for (double[][] channel : x) {
                    variance += (channel[i][j] - mean) * (channel[i][j] - mean) / c;
                }
                for (int k = 0; k < c; k++) {
                    y[k][i][j] = (x[k][i][j] - mean) / Math.sqrt(variance + 1e-6);
                }
            }
        }
        return y;
    }
}

package org.poollab.plugins.resnet;

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

class ResNetTest {

    private static final double BN_EPS = 1e-5;

    private final ResNet resnet = new ResNet(new Layers());

    private BackboneModule create(Map<String, Object> params, ImageShape input) {
        return resnet.create(Params.resolve(resnet.parameters(), Map.of(), params), input);
    }

    private static Map<String, INDArray> batchStatistics(double flag) {
        return Map.of(GraphScope.TRAINING_FLAG, Nd4j.valueArrayOf(new long[] {1}, flag, DataType.DOUBLE));
    }

    private static Features forward(BackboneModule module, SameDiff sd, INDArray images) {
        ImageShape shape = new ImageShape((int) images.size(1), (int) images.size(2), (int) images.size(3));
        return module.forward(GraphScope.root(sd, DataType.DOUBLE, 1), sd.constant(images), shape, List.of());
    }

    @Test
    void theLastFeatureMapBecomesTokensForEveryLayout() {
        record Case(Map<String, Object> params, int size, int side, int dim) {
        }
        List<Case> cases = List.of(
                new Case(Map.of("depth", "18", "stages", 3, "width", 4, "stem", "small"), 28, 7, 16),
                new Case(Map.of("depth", "18", "stages", 3, "width", 4, "stem", "small"), 12, 3, 16),
                new Case(Map.of("depth", "50", "stages", 2, "width", 2, "stem", "large"), 32, 4, 16),
                new Case(Map.of("depth", "50", "stages", 2, "width", 2, "stem", "large"), 30, 4, 16));
        for (Case c : cases) {
            BackboneModule module = create(c.params(), new ImageShape(1, c.size(), c.size()));
            SameDiff sd = SameDiff.create();
            Features features = forward(module, sd, Nd4j.rand(DataType.DOUBLE, 2, 1, c.size(), c.size()));
            assertEquals(c.dim(), module.featureDim(), c.toString());
            assertEquals(c.side() * c.side(), features.grid().tokens(), c.toString());
            assertArrayEquals(new long[] {2, c.side() * c.side(), c.dim()},
                    features.tokens().eval(batchStatistics(1)).shape(), c.toString());
        }
        assertFalse(create(Map.of(), new ImageShape(3, 64, 64)).supportsPrefixTokens(), "no [CLS] token in a CNN");
    }

    /** Stem + one basic block + a strided basic block with a projection shortcut, against plain Java. */
    @Test
    void tokensMatchAHandWrittenResNetInBothBatchNormModes() {
        BackboneModule module = create(Map.of("depth", "18", "stages", 2, "width", 2, "stem", "small"),
                new ImageShape(1, 6, 6));
        SameDiff sd = SameDiff.create();
        Nd4j.getRandom().setSeed(7);
        INDArray images = Nd4j.rand(DataType.DOUBLE, 2, 1, 6, 6);
        Features features = forward(module, sd, images);
        double[][][][] x = toArray(images);
        for (String name : sd.variableMap().keySet()) { // batch norm gains and biases away from 1 and 0
            if (name.endsWith("/gain") || name.endsWith("/bias")) {
                sd.getArrForVarName(name).assign(Nd4j.rand(DataType.DOUBLE, sd.getArrForVarName(name).shape()));
            }
        }
        for (double flag : new double[] {1, 0}) {
            if (flag == 0) { // put some running statistics in place for evaluation mode
                for (String name : sd.variableMap().keySet()) {
                    if (name.endsWith("/running_mean")) {
                        sd.getArrForVarName(name).assign(Nd4j.rand(DataType.DOUBLE, sd.getArrForVarName(name).shape()));
                    } else if (name.endsWith("/running_var")) {
                        sd.getArrForVarName(name).assign(Nd4j.rand(DataType.DOUBLE, sd.getArrForVarName(name).shape())
                                .addi(0.5));
                    }
                }
            }
            Reference ref = new Reference(sd, flag == 1);
            double[][][][] h = ref.convNorm(x, "conv1", "bn1", 1, true);
            h = ref.basic(h, "layer1.0", 1);
            h = ref.basic(h, "layer1.1", 1);
            h = ref.basic(h, "layer2.0", 2);
            h = ref.basic(h, "layer2.1", 1);
            INDArray tokens = features.tokens().eval(batchStatistics(flag)); // [2, 9, 4]
            for (int b = 0; b < 2; b++) {
                for (int p = 0; p < 9; p++) {
                    for (int c = 0; c < 4; c++) {
                        assertEquals(h[b][c][p / 3][p % 3], tokens.getDouble(b, p, c), 1e-9,
                                "flag " + flag + " sample " + b + " position " + p + " channel " + c);
                    }
                }
            }
        }
    }

    @Test
    void gradientsOfEveryParameterMatchFiniteDifferencesWithBatchStatistics() {
        // basic blocks with a strided projection shortcut; bottleneck blocks with an expanding one
        for (Map<String, Object> layout : List.of(Map.<String, Object>of("depth", "18", "stages", 2),
                Map.<String, Object>of("depth", "50", "stages", 1))) {
            SameDiff sd = SameDiff.create();
            Nd4j.getRandom().setSeed(8);
            Map<String, Object> params = new HashMap<>(layout);
            params.putAll(Map.of("width", 2, "stem", "small"));
            BackboneModule module = create(params, new ImageShape(1, 4, 4));
            Features features = forward(module, sd, Nd4j.rand(DataType.DOUBLE, 2, 1, 4, 4));
            int d = module.featureDim();
            int tokens = features.grid().tokens();
            SDVariable loss = features.tokens().mul(sd.constant(Nd4j.randn(DataType.DOUBLE, 2, tokens, d))).sum();
            assertTrue(GradientCheck.standard().assertGradients(sd, loss, batchStatistics(1)) > 50, layout.toString());
        }
    }

    @Test
    void badSettingsNameTheirParameter() {
        ParamException tooSmall = assertThrows(ParamException.class,
                () -> create(Map.of("stages", 4), new ImageShape(1, 8, 8)));
        assertEquals("stages", tooSmall.parameter());
        assertEquals("depth", assertThrows(ParamException.class,
                () -> create(new HashMap<>(Map.of("depth", "20")), new ImageShape(1, 64, 64))).parameter());
    }

    private static double[][][][] toArray(INDArray x) {
        int b = (int) x.size(0);
        double[][][][] out = new double[b][][][];
        for (int i = 0; i < b; i++) {
            int c = (int) x.size(1);
            out[i] = new double[c][][];
            for (int j = 0; j < c; j++) {
                out[i][j] = x.slice(i).slice(j).toDoubleMatrix();
            }
        }
        return out;
    }

    /** Plain-Java ResNet pieces reading the graph's weights: conv with PyTorch padding, batch norm, ReLU. */
    private record Reference(SameDiff sd, boolean batchStatistics) {

        double[][][][] basic(double[][][][] x, String block, int stride) {
            int in = x[0].length;
            int planes = (int) sd.getArrForVarName(block + "/conv1/W").size(3);
            double[][][][] h = convNorm(x, block + "/conv1", block + "/bn1", stride, true);
            h = convNorm(h, block + "/conv2", block + "/bn2", 1, false);
            double[][][][] shortcut = in == planes && stride == 1 ? x
                    : convNorm(x, block + "/downsample.conv", block + "/downsample.bn", stride, false);
            for (int b = 0; b < h.length; b++) {
                for (int c = 0; c < h[b].length; c++) {
                    for (int i = 0; i < h[b][c].length; i++) {
                        for (int j = 0; j < h[b][c][i].length; j++) {
                            h[b][c][i][j] = Math.max(0, h[b][c][i][j] + shortcut[b][c][i][j]);
                        }
                    }
                }
            }
            return h;
        }

        double[][][][] convNorm(double[][][][] x, String conv, String norm, int stride, boolean relu) {
            INDArray w = sd.getArrForVarName(conv + "/W"); // [k, k, in, out]
            int k = (int) w.size(0);
            int out = (int) w.size(3);
            int pad = k / 2;
            int h = (x[0][0].length + 2 * pad - k) / stride + 1;
            int wd = (x[0][0][0].length + 2 * pad - k) / stride + 1;
            double[][][][] y = new double[x.length][out][h][wd];
            for (int b = 0; b < x.length; b++) {
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < wd; j++) {
                            double s = 0;
                            for (int c = 0; c < x[b].length; c++) {
                                for (int ky = 0; ky < k; ky++) {
                                    for (int kx = 0; kx < k; kx++) {
                                        int yy = i * stride + ky - pad;
                                        int xx = j * stride + kx - pad;
                                        if (yy >= 0 && xx >= 0 && yy < x[b][c].length && xx < x[b][c][0].length) {
                                            s += x[b][c][yy][xx] * w.getDouble(ky, kx, c, o);
                                        }
                                    }
                                }
                            }
                            y[b][o][i][j] = s;
                        }
                    }
                }
            }
            return normalise(y, norm, relu);
        }

        private double[][][][] normalise(double[][][][] y, String norm, boolean relu) {
            INDArray gain = sd.getArrForVarName(norm + "/gain");
            INDArray bias = sd.getArrForVarName(norm + "/bias");
            for (int c = 0; c < y[0].length; c++) {
                double mean = sd.getArrForVarName(norm + "/running_mean").getDouble(c);
                double variance = sd.getArrForVarName(norm + "/running_var").getDouble(c);
                if (batchStatistics) {
                    double sum = 0;
                    int n = 0;
                    for (double[][][] sample : y) {
                        for (double[] row : sample[c]) {
                            for (double v : row) {
                                sum += v;
                                n++;
                            }
                        }
                    }
                    mean = sum / n;
                    double squares = 0;
                    for (double[][][] sample : y) {
                        for (double[] row : sample[c]) {
                            for (double v : row) {
                                squares += (v - mean) * (v - mean);
                            }
                        }
                    }
                    variance = squares / n;
                }
                for (double[][][] sample : y) {
                    for (double[] row : sample[c]) {
                        for (int j = 0; j < row.length; j++) {
                            double v = (row[j] - mean) / Math.sqrt(variance + BN_EPS) * gain.getDouble(c)
                                    + bias.getDouble(c);
                            row[j] = relu ? Math.max(0, v) : v;
                        }
                    }
                }
            }
            return y;
        }
    }
}

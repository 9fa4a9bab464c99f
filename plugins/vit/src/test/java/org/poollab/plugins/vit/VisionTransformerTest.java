package org.poollab.plugins.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.poollab.api.backbone.Grid;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.ParamException;
import org.poollab.api.param.Params;
import org.poollab.testkit.GradientCheck;

class VisionTransformerTest {

    private static final ImageShape INPUT = new ImageShape(1, 8, 8);

    private final VisionTransformer vit = new VisionTransformer(new Layers());

    private BackboneModule tiny(Map<String, Object> overrides) {
        Map<String, Object> base = new java.util.HashMap<>(Map.of("patch", 4, "dim", 8, "depth", 2, "heads", 2));
        base.putAll(overrides);
        return vit.create(Params.resolve(vit.parameters(), Map.of(), base), INPUT);
    }

    @Test
    void producesPatchTokensAndThePrefixToken() {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.DOUBLE, 1);
        SDVariable images = sd.constant("images", Nd4j.rand(DataType.DOUBLE, 3, 1, 8, 8));
        Features features = tiny(Map.of()).forward(scope, images, INPUT, List.of("cls"));
        String perHead = features.prefix("cls").headAttention().orElseThrow().name();
        Map<String, INDArray> out = sd.output(Map.of(), features.tokens().name(),
                features.prefix("cls").state().name(), features.prefix("cls").attention().orElseThrow().name(),
                perHead);
        assertArrayEquals(new long[] {3, 4, 8}, out.get(features.tokens().name()).shape());
        assertArrayEquals(new long[] {3, 8}, out.get(features.prefix("cls").state().name()).shape());
        INDArray map = out.get(features.prefix("cls").attention().orElseThrow().name());
        assertArrayEquals(new long[] {3, 4}, map.shape());
        assertArrayEquals(new double[] {1, 1, 1}, map.sum(1).toDoubleVector(), 1e-12);
        assertTrue(map.minNumber().doubleValue() >= 0);
        INDArray heads = out.get(perHead); // tiny() has 2 heads
        assertArrayEquals(new long[] {3, 2, 4}, heads.shape());
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, heads.sum(2).reshape(-1).toDoubleVector(), 1e-12);
        // the averaged map lies between the heads' maps, token by token (a mass-weighted mean of them)
        for (int b = 0; b < 3; b++) {
            for (int n = 0; n < 4; n++) {
                double low = Math.min(heads.getDouble(b, 0, n), heads.getDouble(b, 1, n));
                double high = Math.max(heads.getDouble(b, 0, n), heads.getDouble(b, 1, n));
                assertTrue(map.getDouble(b, n) >= low - 1e-12 && map.getDouble(b, n) <= high + 1e-12);
            }
        }
    }

    @Test
    void sinCosPositionsAreFixedValuesOfTheReferenceTableAndNoParameter() {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.DOUBLE, 1);
        SDVariable images = sd.constant("images", Nd4j.rand(DataType.DOUBLE, 2, 1, 8, 8));
        tiny(Map.of("positionalEmbedding", "sincos")).forward(scope, images, INPUT, List.of());
        assertTrue(sd.variables().stream().noneMatch(v -> v.name().contains("pos_embed")), "nothing to learn");
        // MoCo v3's build_2d_sincos_position_embedding, step by step: meshgrid(w, h) with 'ij' indexing, flattened
        int side = 3;
        int dim = 8;
        double[][] table = SinCosPositions.of(new Grid(side, side), dim);
        for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
                int m = i * side + j;
                for (int d = 0; d < dim / 4; d++) {
                    double omega = 1 / Math.pow(10000, d / (dim / 4.0));
                    double[] expected = {Math.sin(i * omega), Math.cos(i * omega), Math.sin(j * omega),
                        Math.cos(j * omega)};
                    for (int part = 0; part < 4; part++) {
                        assertEquals(expected[part], table[m][part * dim / 4 + d], 1e-15, "token " + m);
                    }
                }
            }
        }
        ParamException odd = assertThrows(ParamException.class, () -> tiny(Map.of("positionalEmbedding", "sincos",
                "dim", 6, "heads", 2)));
        assertTrue(odd.getMessage().contains("divisible by 4"), odd.getMessage());
    }

    @Test
    void runsOnOtherImageSizesThroughTheResizedPositionalEmbedding() {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.DOUBLE, 1);
        SDVariable images = sd.constant("images", Nd4j.rand(DataType.DOUBLE, 2, 1, 12, 12));
        Features features = tiny(Map.of()).forward(scope, images, new ImageShape(1, 12, 12), List.of());
        assertEquals(9, features.grid().tokens());
        assertArrayEquals(new long[] {2, 9, 8}, features.tokens().eval().shape());
    }

    @Test
    void gradientsOfBlocksEmbeddingsAndFinalNormMatchFiniteDifferences() {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.DOUBLE, 2);
        Nd4j.getRandom().setSeed(5);
        SDVariable images = sd.constant("images", Nd4j.rand(DataType.DOUBLE, 2, 1, 8, 8));
        Features features = tiny(Map.of("depth", 1)).forward(scope, images, INPUT, List.of("cls"));
        SDVariable tokenLoss = features.tokens().mul(sd.constant(Nd4j.randn(DataType.DOUBLE, 2, 4, 8))).sum();
        SDVariable pooled = features.finalNorm().apply(features.prefix("cls").state());
        SDVariable clsLoss = pooled.mul(sd.constant(Nd4j.randn(DataType.DOUBLE, 2, 8))).sum();
        SDVariable mapLoss = features.prefix("cls").attention().orElseThrow()
                .mul(sd.constant(Nd4j.randn(DataType.DOUBLE, 2, 4))).sum();
        int checked = GradientCheck.standard().assertGradients(sd, tokenLoss.add(clsLoss).add(mapLoss), Map.of());
        assertTrue(checked > 100);
    }

    @Test
    void stochasticDepthMasksDropWholeBranches() {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.DOUBLE, 3);
        SDVariable images = sd.constant("images", Nd4j.rand(DataType.DOUBLE, 2, 1, 8, 8));
        Features features = tiny(Map.of("dropPath", 0.5, "depth", 2)).forward(scope, images, INPUT, List.of());
        // Block 0 has rate 0 (linear schedule), block 1 has 0.5: one block's two masks are registered.
        assertEquals(2, scope.stochasticInputs().size());
        Map<String, INDArray> ones = new java.util.HashMap<>();
        Map<String, INDArray> zeros = new java.util.HashMap<>();
        scope.stochasticInputs().forEach(input -> {
            ones.put(input.placeholder(), Nd4j.ones(DataType.DOUBLE, 2, 1, 1));
            zeros.put(input.placeholder(), Nd4j.zeros(DataType.DOUBLE, 2, 1, 1));
        });
        INDArray kept = sd.output(ones, features.tokens().name()).get(features.tokens().name());
        INDArray dropped = sd.output(zeros, features.tokens().name()).get(features.tokens().name());
        assertTrue(kept.sub(dropped).norm2Number().doubleValue() > 1e-6);
    }

    @Test
    void rejectsAPatchThatDoesNotDivideTheImage() {
        Params params = Params.resolve(vit.parameters(), Map.of(), Map.of("patch", 3));
        ParamException error = assertThrows(ParamException.class, () -> vit.create(params, INPUT));
        assertEquals("patch", error.parameter());
    }
}

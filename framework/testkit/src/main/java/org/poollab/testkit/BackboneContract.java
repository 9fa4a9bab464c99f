package org.poollab.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.backbone.Backbone;
import org.poollab.api.backbone.BackboneModule;
import org.poollab.api.backbone.Features;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.backbone.PrefixOutput;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.StochasticInput;
import org.poollab.api.param.Params;

/**
 * The rules every backbone plugin keeps, as a JUnit 5 class that the plugin's own test extends:
 *
 * <pre>{@code
 * class MyBackboneContractTest extends BackboneContract {
 *     @Override
 *     protected Backbone backbone() {
 *         return new MyBackbone(new Layers());
 *     }
 * }
 * }</pre>
 *
 * <p>The backbone declares a small version of itself as its preset {@value Backbone#TEST_PRESET}, which this
 * contract (and the framework's test of every pooling on every backbone) builds for 28 x 28 grey images, in double
 * precision, in training mode (batch statistics, every stochastic-depth branch kept). The tokens are {@code [B, N, d]}
 * with {@code N} the returned grid's size and {@code d} the declared width, finite and different for different images;
 * a smaller image (a DINO local crop, 16 x 16) gives the tokens of its own, smaller grid; the gradients of every
 * parameter (on 8 x 8 images) match central finite differences and are non-zero; and a backbone that supports prefix
 * tokens returns each requested one as a finite {@code [B, d]} state, its attention (if any) a distribution over the
 * patches.
 */
public abstract class BackboneContract {

    private static final int BATCH = 3;
    private static final ImageShape INPUT = new ImageShape(1, 28, 28);
    private static final ImageShape LOCAL_CROP = new ImageShape(1, 16, 16);
    /**
     * Finite differences run on 8 x 8 images: with every pixel of a 28 x 28 batch, some ReLU input lies within a
     * step of its kink, where the difference quotient is not the derivative.
     */
    private static final ImageShape GRADIENT_IMAGE = new ImageShape(1, 8, 8);
    private static final String PROBE = "probe";

    /** The backbone under test, as the host would create it (construct it with {@code new Layers()}). */
    protected abstract Backbone backbone();

    /** Parameters whose gradient is zero by construction (none by default), by their names in the graph. */
    protected Set<String> parametersWithoutGradient() {
        return Set.of();
    }

    /** Tokens {@code [B, N, d]}: N is the grid's size, d the declared width; finite; one set per image. */
    @Test
    public void returnsFiniteTokensOfItsGridAndWidthForEachImage() {
        Built built = build(INPUT, List.of());
        INDArray tokens = built.output(built.features.tokens());
        assertArrayEquals(new long[] {BATCH, built.features.grid().tokens(), built.module.featureDim()},
                tokens.shape(), "tokens [B, N, d] with N = grid " + built.features.grid());
        assertEquals(built.module.featureDim(), built.features.dim(), "Features.dim is the module's featureDim");
        assertFinite(tokens, "tokens");
        assertFalse(tokens.slice(0).equalsWithEps(tokens.slice(1), 1e-9), "two different images give the same "
                + "tokens: the backbone ignores its input");
    }

    /** A smaller image than the configured one gives the tokens of its own, smaller grid (DINO's local crops). */
    @Test
    public void aSmallerImageGivesTheTokensOfItsOwnGrid() {
        Built base = build(INPUT, List.of());
        Built local = build(LOCAL_CROP, List.of());
        INDArray tokens = local.output(local.features.tokens());
        assertArrayEquals(new long[] {BATCH, local.features.grid().tokens(), local.module.featureDim()},
                tokens.shape(), "tokens of a 16 x 16 image on grid " + local.features.grid());
        assertTrue(local.features.grid().tokens() < base.features.grid().tokens(), "the grid of a smaller image is "
                + "smaller: " + local.features.grid() + " vs " + base.features.grid());
        assertFinite(tokens, "tokens of a smaller image");
    }

    /** Every parameter's gradient against finite differences, and non-zero. */
    @Test
    public void gradientsMatchFiniteDifferencesAndReachEveryParameter() {
        Built built = build(GRADIENT_IMAGE, List.of());
        Nd4j.getRandom().setSeed(5);
        SDVariable loss = built.features.tokens().mul(built.sd.constant(Nd4j.randn(DataType.DOUBLE, BATCH,
                built.features.grid().tokens(), built.module.featureDim()))).sum();
        // 1e-4 relative, not the poolings' 1e-5: central differences through a whole backbone carry ~2e-9 of
        // rounding, which is 1e-5 of a 1e-4 gradient; a wrong formula is off by far more. 4 entries per variable
        // keep a backbone's hundreds of variables to seconds.
        assertTrue(new GradientCheck(1e-4, 1e-4, 4).assertGradients(built.sd, loss, built.placeholders) > 0,
                "no gradient entries checked");
        List<String> parameters = new ArrayList<>();
        for (SDVariable variable : built.sd.variables()) {
            if (variable.getVariableType() == VariableType.VARIABLE
                    && !parametersWithoutGradient().contains(variable.name())) {
                parameters.add(variable.name());
            }
        }
        Map<String, INDArray> gradients = built.sd.calculateGradients(built.placeholders, parameters);
        for (String name : parameters) {
            assertTrue(gradients.get(name).amaxNumber().doubleValue() > 1e-12, "the parameter " + name + " gets no "
                    + "gradient: it does not take part in the tokens");
        }
    }

    /** A requested prefix token comes back as a finite {@code [B, d]} state (skipped for CNNs, which have none). */
    @Test
    public void aRequestedPrefixTokenComesBackWithItsOwnState() {
        Assumptions.assumeTrue(module().supportsPrefixTokens(), "the backbone has no prefix tokens");
        Built built = build(INPUT, List.of(PROBE));
        PrefixOutput prefix = built.features.prefix(PROBE);
        INDArray state = built.output(prefix.state());
        assertArrayEquals(new long[] {BATCH, built.module.featureDim()}, state.shape(), "prefix state [B, d]");
        assertFinite(state, "prefix state");
        prefix.attention().ifPresent(attention -> {
            INDArray map = built.output(attention);
            assertEquals(BATCH, map.size(0));
            assertTrue(map.minNumber().doubleValue() >= 0, "negative attention");
            for (int b = 0; b < BATCH; b++) {
                assertTrue(map.getRow(b).sumNumber().doubleValue() <= 1 + 1e-9, "attention of image " + b
                        + " to the patches sums to more than 1");
            }
        });
    }

    private BackboneModule module() {
        Backbone backbone = backbone();
        Map<String, Object> preset = backbone.presets().get(Backbone.TEST_PRESET);
        assertNotNull(preset, "backbone '" + backbone.id() + "' declares no preset '" + Backbone.TEST_PRESET
                + "': give it a small version of itself for 28 x 28 images that builds in seconds");
        return backbone.create(Params.resolve(backbone.parameters(), preset, Map.of()), INPUT);
    }

    private Built build(ImageShape shape, List<String> prefixTokens) {
        BackboneModule module = module();
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.DOUBLE, 1);
        SDVariable images = sd.placeHolder("images", DataType.DOUBLE, -1, shape.channels(), shape.height(),
                shape.width());
        Features features = module.forward(scope, images, shape, prefixTokens);
        Map<String, INDArray> placeholders = new HashMap<>();
        Nd4j.getRandom().setSeed(3);
        placeholders.put("images", Nd4j.randn(DataType.DOUBLE, BATCH, shape.channels(), shape.height(),
                shape.width()));
        for (StochasticInput input : scope.stochasticInputs()) {
            long[] maskShape = new long[input.rank()];
            Arrays.fill(maskShape, 1);
            if (!input.trainingFlag()) {
                maskShape[0] = BATCH; // every branch kept: stochastic depth would make the loss random
            }
            placeholders.put(input.placeholder(), Nd4j.ones(DataType.DOUBLE, maskShape));
        }
        return new Built(sd, module, features, placeholders);
    }

    private static void assertFinite(INDArray values, String what) {
        for (double value : values.data().asDouble()) {
            assertTrue(Double.isFinite(value), what + " are finite");
        }
    }

    /** A built backbone graph with everything it needs fed. */
    private record Built(SameDiff sd, BackboneModule module, Features features, Map<String, INDArray> placeholders) {

        INDArray output(SDVariable variable) {
            return sd.output(placeholders, variable.name()).get(variable.name());
        }
    }
}

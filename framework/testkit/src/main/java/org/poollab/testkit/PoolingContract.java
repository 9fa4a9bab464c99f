package org.poollab.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.backbone.Grid;
import org.poollab.api.param.Params;
import org.poollab.api.pooling.Pooling;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.api.pooling.TokenOrder;

/**
 * The rules every pooling plugin keeps, as a JUnit 5 class that the plugin's own test extends, so that
 * {@code mvn test} in the plugin's project holds it to them:
 *
 * <pre>{@code
 * class MyPoolingContractTest extends PoolingContract {
 *     @Override
 *     protected Pooling pooling() {
 *         return new MyPooling(new Layers());
 *     }
 * }
 * }</pre>
 *
 * <p>On seeded tokens {@code [2, 6, d]} (a 2 x 3 grid) in double precision: the pooled vector is
 * {@code [B, outputDim(d)]}, finite, and differs between images; the gradients of every trainable variable (the
 * pooling's parameters, the tokens, the prefix tokens it asks for) match central finite differences, and every
 * parameter of the pooling gets a non-zero one; an attention map, where there is one, is {@code [B, N]},
 * non-negative and sums to 1; and the pooling treats token order as it declares ({@link Pooling#tokenOrder}).
 * The framework's {@code PoolingContractIT} runs the same checks on every jar of the plugins folder.
 */
public abstract class PoolingContract {

    private static final int BATCH = 2;
    private static final Grid GRID = new Grid(2, 3);
    private static final double TOLERANCE = 1e-9;
    /** The harness builds the pooling in this scope. */
    private static final String SCOPE = "pooling/";

    /** The pooling under test, as the host would create it (construct it with {@code new Layers()}). */
    protected abstract Pooling pooling();

    /** Parameter values to test with, over the defaults (none by default). */
    protected Map<String, Object> parameters() {
        return Map.of();
    }

    /**
     * Parameters (names inside the pooling's scope, such as {@code attn/k/b}) whose gradient is zero by
     * construction, each worth a comment on why: a key bias in softmax attention adds the same {@code q . b} to
     * every logit of a query, which the softmax removes. None by default.
     */
    protected Set<String> parametersWithoutGradient() {
        return Set.of();
    }

    /**
     * Whether every parameter outside {@link #parametersWithoutGradient} must get a non-zero gradient; the
     * framework's run over loaded jars, which cannot see a plugin's declarations, turns it off.
     */
    protected boolean requiresAGradientOnEveryParameter() {
        return true;
    }

    /** The feature width d of the test tokens (8 by default: divisible by 1, 2, 4 and 8 heads). */
    protected int dim() {
        return 8;
    }

    private PoolingModule module() {
        Pooling pooling = pooling();
        return pooling.create(Params.resolve(pooling.parameters(), Map.of(), parameters()), dim());
    }

    private PoolingHarness harness(INDArray tokens) {
        return new PoolingHarness(module(), tokens, GRID);
    }

    private INDArray tokens(long seed) {
        return PoolingHarness.randomTokens(seed, BATCH, GRID.height() * GRID.width(), dim());
    }

    /** Pooled {@code [B, outputDim(d)]}, finite, one vector per image. */
    @Test
    public void poolsEachImageToAFiniteVectorOfTheDeclaredWidth() {
        INDArray pooled = harness(tokens(1)).pooled();
        assertArrayEquals(new long[] {BATCH, module().outputDim(dim())}, pooled.shape(), "pooled shape");
        for (double value : pooled.data().asDouble()) {
            assertTrue(Double.isFinite(value), "pooled values are finite: " + pooled);
        }
        assertFalse(pooled.getRow(0).equalsWithEps(pooled.getRow(1), TOLERANCE), "two different images pool to "
                + "the same vector: the pooling ignores its input");
    }

    /** Gradients against central finite differences, and a non-zero gradient on every parameter. */
    @Test
    public void gradientsMatchFiniteDifferencesAndReachEveryParameter() {
        PoolingHarness harness = harness(tokens(2));
        assertTrue(harness.assertGradients(GradientCheck.standard()) > 0, "no gradient entries checked");
        SameDiff sd = harness.sameDiff();
        List<String> parameters = new ArrayList<>();
        for (SDVariable variable : sd.variables()) {
            if (variable.getVariableType() == VariableType.VARIABLE && variable.name().startsWith(SCOPE)
                    && !parametersWithoutGradient().contains(variable.name().substring(SCOPE.length()))) {
                parameters.add(variable.name());
            }
        }
        if (parameters.isEmpty() || !requiresAGradientOnEveryParameter()) {
            return; // a pooling without parameters (GAP): the tokens' gradients above are all there is
        }
        Map<String, INDArray> gradients = sd.calculateGradients(Map.of(), parameters);
        for (String name : parameters) {
            assertTrue(gradients.get(name).amaxNumber().doubleValue() > 1e-12, "the parameter " + name + " gets no "
                    + "gradient: it does not take part in the pooled vector or the map");
        }
    }

    /** An attention map {@code [B, N]}, non-negative, summing to 1 over the tokens. */
    @Test
    public void theAttentionMapIsADistributionOverTheTokens() {
        PoolingHarness harness = harness(tokens(3));
        assumeTrue(harness.attention().isPresent(), "the pooling has no attention map");
        INDArray map = harness.attention().orElseThrow();
        int tokens = GRID.height() * GRID.width();
        assertArrayEquals(new long[] {BATCH, tokens}, map.shape(), "map shape");
        for (int b = 0; b < BATCH; b++) {
            double sum = 0;
            for (int n = 0; n < tokens; n++) {
                double weight = map.getDouble(b, n);
                assertTrue(weight >= 0 && Double.isFinite(weight), "map weight " + weight + " at " + b + "," + n);
                sum += weight;
            }
            assertEquals(1, sum, 1e-9, "image " + b + "'s map sums to 1");
        }
    }

    /** Token order as declared: invariant (pooled equal, map permuted alike) or dependent (pooled differs). */
    @Test
    public void tokenOrderIsAsDeclared() {
        TokenOrder declared = pooling().tokenOrder();
        assumeTrue(declared != TokenOrder.UNDECLARED, "the pooling declares no token order");
        INDArray tokens = tokens(4);
        int[] permutation = {4, 0, 5, 2, 1, 3};
        INDArray permuted = Nd4j.create(DataType.DOUBLE, tokens.shape());
        for (int b = 0; b < BATCH; b++) {
            for (int n = 0; n < permutation.length; n++) {
                permuted.get(point(b), point(n)).assign(tokens.get(point(b), point(permutation[n])));
            }
        }
        PoolingHarness original = harness(tokens);
        PoolingHarness shuffled = harness(permuted);
        boolean same = original.pooled().equalsWithEps(shuffled.pooled(), TOLERANCE);
        if (declared == TokenOrder.DEPENDENT) {
            assertFalse(same, "declared order-dependent, but permuted tokens pool to the same vector");
            return;
        }
        assertTrue(same, "declared order-invariant, but permuted tokens pool to another vector");
        if (original.attention().isPresent()) {
            INDArray map = original.attention().orElseThrow();
            INDArray shuffledMap = shuffled.attention().orElseThrow();
            for (int b = 0; b < BATCH; b++) {
                for (int n = 0; n < permutation.length; n++) {
                    assertEquals(map.getDouble(b, permutation[n]), shuffledMap.getDouble(b, n), TOLERANCE,
                            "the map follows its tokens, image " + b + " token " + n);
                }
            }
        }
    }
}

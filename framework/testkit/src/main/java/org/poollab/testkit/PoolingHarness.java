package org.poollab.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.backbone.Features;
import org.poollab.api.backbone.Grid;
import org.poollab.api.backbone.PrefixOutput;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.api.pooling.PoolingResult;

/**
 * Runs one pooling module on given tokens in a fresh double-precision graph. The tokens are a trainable variable
 * so that gradient checks cover the pooling's input as well as its parameters.
 */
public final class PoolingHarness {

    private final SameDiff sd = SameDiff.create();
    private final GraphScope scope;
    private final SDVariable tokens;
    private final PoolingResult result;

    /**
     * @param module the pooling under test
     * @param tokenValues {@code [B, N, d]}, DOUBLE
     * @param grid the layout of the N tokens
     */
    public PoolingHarness(PoolingModule module, INDArray tokenValues, Grid grid) {
        this.scope = GraphScope.root(sd, DataType.DOUBLE, 11);
        this.tokens = sd.var("tokens", tokenValues.castTo(DataType.DOUBLE));
        int dim = (int) tokenValues.size(2);
        Features features = new Features(tokens, dim, grid, prefixOutputs(module, tokenValues),
                UnaryOperator.identity());
        this.result = module.pool(scope.child("pooling"), features);
    }

    /**
     * What a backbone would hand over for the prefix tokens the pooling asks for, computed from the tokens as a
     * backbone's prefix token is: a state {@code [B, d]} (the tokens' mean plus a learned offset) and its attention
     * over the tokens {@code [B, N]} (a softmax of the tokens against a learned query), so that gradients reach
     * the tokens and permuting the tokens permutes the map.
     */
    private Map<String, PrefixOutput> prefixOutputs(PoolingModule module, INDArray tokenValues) {
        Map<String, PrefixOutput> prefix = new LinkedHashMap<>();
        long dim = tokenValues.size(2);
        for (String name : module.prefixTokens()) {
            Nd4j.getRandom().setSeed(prefix.size() + 5L);
            SDVariable offset = sd.var(name + "_offset", Nd4j.randn(DataType.DOUBLE, 1, dim));
            SDVariable query = sd.var(name + "_query", Nd4j.randn(DataType.DOUBLE, 1, 1, dim));
            SDVariable state = tokens.mean(1).add(name + "_state", offset);
            // A broadcast product and sum, not mmul: ND4J's matmul wants operands of one rank.
            SDVariable logits = tokens.mul(query).sum(2);
            SDVariable map = sd.nn().softmax(name + "_attention", logits, 1);
            prefix.put(name, new PrefixOutput(state, Optional.of(map)));
        }
        return prefix;
    }

    /** Seeded Gaussian tokens {@code [B, N, d]} in double precision. */
    public static INDArray randomTokens(long seed, int batch, int tokens, int dim) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, batch, tokens, dim);
    }

    /** The pooled vector {@code [B, d]}. */
    public INDArray pooled() {
        return sd.output(Map.of(), result.pooled().name()).get(result.pooled().name());
    }

    /** The attention map {@code [B, N]}, if the pooling has one. */
    public Optional<INDArray> attention() {
        return result.attention().map(a -> sd.output(Map.of(), a.name()).get(a.name()));
    }

    /** The value of a parameter of the pooling by its local name inside the pooling scope ({@code Wq/W}). */
    public INDArray parameter(String localName) {
        return sd.getVariable("pooling/" + localName).getArr();
    }

    /**
     * Checks the gradients of {@code sum(pooled * R) (+ sum(attention * R'))} with fixed random projections R
     * for every parameter and the input tokens.
     *
     * @return how many entries were checked
     */
    public int assertGradients(GradientCheck check) {
        INDArray pooledValue = pooled();
        Nd4j.getRandom().setSeed(3);
        SDVariable projection = sd.constant("projection", Nd4j.randn(DataType.DOUBLE, pooledValue.shape()));
        SDVariable loss = result.pooled().mul(projection).sum();
        if (result.attention().isPresent()) {
            INDArray map = attention().orElseThrow();
            SDVariable mapProjection = sd.constant("mapProjection", Nd4j.randn(DataType.DOUBLE, map.shape()));
            loss = loss.add(result.attention().get().mul(mapProjection).sum());
        }
        return check.assertGradients(sd, loss, Map.of());
    }

    /** The graph, for tests that need more. */
    public SameDiff sameDiff() {
        return sd;
    }

    /** The token variable, {@code [B, N, d]}. */
    public SDVariable tokens() {
        return tokens;
    }
}

package org.poollab.plugins.cls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.backbone.Features;
import org.poollab.api.backbone.Grid;
import org.poollab.api.backbone.PrefixOutput;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.param.Params;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.api.pooling.PoolingResult;

/** The [CLS] pooling asks for its prefix token and passes the token's state and attention through untouched. */
class ClassTokenPoolingTest {

    private final ClassTokenPooling cls = new ClassTokenPooling();
    private final PoolingModule module = cls.create(Params.defaults(cls.parameters()), 4);

    @Test
    void requestsTheClsPrefixToken() {
        assertEquals(List.of("cls"), module.prefixTokens());
    }

    @Test
    void returnsThePrefixStateAndItsAttentionMap() {
        SameDiff sd = SameDiff.create();
        Nd4j.getRandom().setSeed(1);
        INDArray state = Nd4j.randn(DataType.DOUBLE, 2, 4);
        INDArray map = Nd4j.rand(DataType.DOUBLE, 2, 6);
        SDVariable tokens = sd.var("tokens", Nd4j.randn(DataType.DOUBLE, 2, 6, 4));
        PrefixOutput prefix = new PrefixOutput(sd.var("cls_state", state), Optional.of(sd.var("cls_map", map)));
        Features features = new Features(tokens, 4, new Grid(2, 3), Map.of("cls", prefix), UnaryOperator.identity());
        PoolingResult result = module.pool(GraphScope.root(sd, DataType.DOUBLE, 0).child("pooling"), features);
        assertEquals(state, result.pooled().eval());
        assertEquals(map, result.attention().orElseThrow().eval());
    }

    @Test
    void aBackboneWithoutTheTokenIsAnError() {
        SameDiff sd = SameDiff.create();
        SDVariable tokens = sd.var("tokens", Nd4j.zeros(DataType.DOUBLE, 1, 6, 4));
        Features features = new Features(tokens, 4, new Grid(2, 3), Map.of(), UnaryOperator.identity());
        assertThrows(IllegalStateException.class,
                () -> module.pool(GraphScope.root(sd, DataType.DOUBLE, 0).child("pooling"), features));
    }
}

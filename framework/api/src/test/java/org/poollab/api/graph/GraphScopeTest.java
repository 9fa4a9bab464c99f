package org.poollab.api.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Names, get-or-create parameters, per-input random inputs and running averages of the graph scope. */
class GraphScopeTest {

    private final SameDiff sd = SameDiff.create();
    private final GraphScope root = GraphScope.root(sd, DataType.DOUBLE, 7);

    @Test
    void childScopesPrefixTheirNames() {
        GraphScope block = root.child("blocks.0").child("attn");
        assertEquals("blocks.0/attn/qkv", block.qualify("qkv"));
        assertEquals("blocks.0/attn/W", block.parameter("W", block.init().zeros(2, 2)).name());
    }

    @Test
    void aParameterIsCreatedOnceAndSharedByLaterBuildsOfTheSameComponent() {
        SDVariable first = root.parameter("token", root.init().ones(1, 4));
        SDVariable second = root.forInput("local").parameter("token", root.init().zeros(1, 4));
        assertSame(first, second);
        assertEquals(4.0, second.getArr().sumNumber().doubleValue(), "the first initial value is kept");
        sd.constant("fixed", root.init().zeros(1));
        assertThrows(IllegalStateException.class, () -> root.parameter("fixed", root.init().zeros(1)));
    }

    @Test
    void aScalarIsAParameterOnlyWhenLearned() {
        assertEquals(VariableType.VARIABLE, root.scalar("p", 3.0, true).getVariableType());
        SDVariable fixed = root.scalar("q", 3.0, false);
        assertEquals(VariableType.CONSTANT, fixed.getVariableType());
        assertEquals(3.0, fixed.getArr().getDouble(0));
    }

    @Test
    void keepMasksArePerInputPlaceholdersWithADynamicBatch() {
        assertNull(root.keepMask("drop", 0, 3), "nothing to drop, no input");
        SDVariable main = root.child("blocks.1").keepMask("drop", 0.1, 3);
        SDVariable local = root.forInput("local").child("blocks.1").keepMask("drop", 0.1, 3);
        assertEquals("blocks.1/drop", main.name());
        assertEquals("local/blocks.1/drop", local.name());
        assertArrayEquals(new long[] {-1, 1, 1}, main.placeholderShape());
        List<StochasticInput> inputs = root.stochasticInputs();
        assertEquals(2, inputs.size());
        assertEquals("local", inputs.get(1).input());
    }

    @Test
    void theTrainingFlagIsOnePlaceholderPerGraph() {
        SDVariable flag = root.trainingFlag();
        assertSame(flag, root.forInput("local").child("x").trainingFlag());
        assertEquals(GraphScope.TRAINING_FLAG, flag.name());
        assertEquals(1, root.stochasticInputs().size());
    }

    @Test
    void aRunningAverageIsOneConstantWithOneUpdatePerForwardPass() {
        SDVariable batchMean = sd.constant("batch_mean", root.init().zeros(3));
        SDVariable first = root.child("bn").runningAverage("running_mean", root.init().zeros(3), batchMean, 0.1);
        SDVariable again = root.child("bn").runningAverage("running_mean", root.init().ones(3), batchMean, 0.1);
        assertSame(first, again);
        assertEquals(VariableType.CONSTANT, first.getVariableType());
        assertEquals(2, root.runningAverages().size(), "one update per view, as PyTorch");
    }

    @Test
    void theSeedDeterminesTheInitialValues() {
        INDArray a = GraphScope.root(SameDiff.create(), DataType.DOUBLE, 7).init().truncatedNormal(0.02, 500);
        INDArray b = GraphScope.root(SameDiff.create(), DataType.DOUBLE, 7).init().truncatedNormal(0.02, 500);
        INDArray c = GraphScope.root(SameDiff.create(), DataType.DOUBLE, 8).init().truncatedNormal(0.02, 500);
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertTrue(a.amaxNumber().doubleValue() <= 0.04, "truncated at 2 std");
        double std = a.stdNumber().doubleValue();
        assertTrue(std > 0.014 && std < 0.020, "a N(0, 0.02) truncated at 2 std has std 0.0176: " + std);
    }
}

package org.poollab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.graph.GraphScope;
import org.poollab.config.OptimizerConfig;
import org.poollab.schedule.Schedule;

/**
 * Data-parallel replicas of a training graph: N = 2 follows the loss trajectory and weights of N = 1 on the whole
 * batch up to float summation order, is bitwise deterministic run to run, and resumes bit-identically from a
 * checkpoint; a batch that does not split evenly is refused.
 */
class ReplicasTest {

    private static final int IMAGES = 8;
    private static final int STEPS = 6;
    private static final OptimizerConfig ADAM = OptimizerConfig.builder().lr(0.05).minLr(0).weightDecay(0.05)
            .weightDecayEnd(0.05).warmupFraction(0).clipGrad(1.0).beta1(0.9).beta2(0.999).eps(1e-8).build();

    @TempDir
    Path dir;

    /**
     * A two-layer perceptron with two outputs (a sum over a dimension of size 1 fails in M2.1 for more than one
     * row), per-sample loss {@code |tanh(x W1 + b1) W2 - y|^2}, from fixed initial weights.
     */
    private static GraphScope mlp() {
        Random random = new Random(5);
        SameDiff sd = SameDiff.create();
        SDVariable w1 = sd.var("w1", randn(random, 4, 8));
        SDVariable b1 = sd.var("b1", Nd4j.zeros(DataType.FLOAT, 1, 8));
        SDVariable w2 = sd.var("w2", randn(random, 8, 2));
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, 2);
        SDVariable error = sd.math.tanh(x.mmul(w1).add(b1)).mmul(w2).sub(y);
        error.mul(error).sum(1);
        return GraphScope.root(sd, DataType.FLOAT, 0);
    }

    private static INDArray randn(Random random, int rows, int columns) {
        float[][] values = new float[rows][columns];
        for (float[] row : values) {
            for (int j = 0; j < columns; j++) {
                row[j] = (float) random.nextGaussian() * 0.5f;
            }
        }
        return Nd4j.createFromArray(values);
    }

    /** The per-sample loss: the graph's last op, the same name in every graph built alike. */
    private static String perSample(GraphScope graph) {
        List<org.nd4j.autodiff.samediff.internal.SameDiffOp> ops = List.copyOf(graph.sd().getOps().values());
        return ops.get(ops.size() - 1).getOutputsOfOp().get(0);
    }

    private static TrainingGraph training(int replicas) {
        List<GraphScope> graphs = new ArrayList<>();
        for (int r = 0; r < replicas; r++) { // the same initial weights: the replicas would copy the first's anyway
            graphs.add(mlp());
        }
        Schedule lr = Schedule.cosine(0.05, 0.01, STEPS);
        return new TrainingGraph(graphs, TrainingGraph.ROWS_OF_FIRST_FEATURE, List.of("x"), List.of("y"),
                perSample(graphs.get(0)), ADAM,
                new Schedules(lr, Schedule.cosine(0.05, 0.05, STEPS)), Freeze.NONE, Set.of());
    }

    /** Step {@code step}'s batch: its own random inputs and targets. */
    private static MultiDataSet batch(int step) {
        Random random = new Random(100 + step);
        return new MultiDataSet(new INDArray[] {randn(random, IMAGES, 4)}, new INDArray[] {randn(random, IMAGES, 2)});
    }

    /** Runs steps {@code [first, first + count)} and returns their losses. */
    private static List<Double> run(TrainingGraph training, int first, int count) throws InterruptedException {
        List<Double> losses = new ArrayList<>();
        training.run(first, count, new StepSource() {
            @Override
            public MultiDataSet inputs(int step) {
                return batch(step);
            }

            @Override
            public void done(int step, double loss) {
                losses.add(loss);
            }
        });
        return losses;
    }

    private static Map<String, float[]> weights(TrainingGraph training) {
        Map<String, float[]> out = new TreeMap<>();
        training.weights().forEach((name, array) -> out.put(name, array.dup().data().asFloat()));
        training.optimizerState().forEach((name, array) -> out.put(name, array.dup().castTo(DataType.FLOAT).data()
                .asFloat()));
        return out;
    }

    @Test
    void twoReplicasFollowOneOnTheWholeBatchUpToSummationOrder() throws Exception {
        TrainingGraph one = training(1);
        TrainingGraph two = training(2);
        List<Double> single = run(one, 0, STEPS);
        List<Double> split = run(two, 0, STEPS);
        for (int step = 0; step < STEPS; step++) {
            assertEquals(single.get(step), split.get(step), 1e-5 * Math.abs(single.get(step)), "step " + step);
        }
        assertEquals(true, single.get(STEPS - 1) < single.get(0), "the steps learn: " + single);
        Map<String, float[]> expected = weights(one);
        weights(two).forEach((name, values) -> assertArrayEquals(expected.get(name), values, 1e-5f, name));
    }

    @Test
    void twoReplicasAreBitwiseDeterministicAndResumeBitIdentically() throws Exception {
        TrainingGraph uninterrupted = training(2);
        List<Double> losses = run(uninterrupted, 0, STEPS);
        TrainingGraph again = training(2);
        assertEquals(losses, run(again, 0, STEPS));
        Map<String, float[]> expected = weights(uninterrupted);
        weights(again).forEach((name, values) -> assertArrayEquals(expected.get(name), values, 0f, name));

        TrainingGraph first = training(2);
        run(first, 0, 3);
        Path file = dir.resolve("replicas.zip");
        new Checkpoint().arrays("model", first.weights()).arrays(TrainingGraph.OPTIMIZER, first.optimizerState())
                .write(file);
        TrainingGraph resumed = training(2);
        resumed.restore(Checkpoint.read(file), "model");
        assertEquals(losses.subList(3, STEPS), run(resumed, 3, STEPS - 3));
        weights(resumed).forEach((name, values) -> assertArrayEquals(expected.get(name), values, 0f, name));
    }

    @Test
    void aBatchThatDoesNotSplitEvenlyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(training(3), 0, 1));
        assertEquals("8 images do not split into 3 equal shards", e.getMessage());
    }
}

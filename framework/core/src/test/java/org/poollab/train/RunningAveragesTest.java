package org.poollab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.config.OptimizerConfig;
import org.poollab.data.StochasticMasks;
import org.poollab.schedule.Schedule;

/** Batch norm's two modes and its running averages, against plain-Java statistics. */
class RunningAveragesTest {

    private static final int B = 3;
    private static final int C = 2;
    private static final int SIDE = 2;
    private static final double EPS = 1e-5;
    private static final double MOMENTUM = 0.1;
    private static final OptimizerConfig ADAM = OptimizerConfig.builder().lr(1).minLr(0).weightDecay(0)
            .weightDecayEnd(0).warmupFraction(0).clipGrad(0).beta1(0.9).beta2(0.999).eps(1e-8).build();

    /** x {@code [B, C, side, side]} -> batch norm -> per-sample loss {@code sum(y * w)}; w trainable. */
    private record Net(GraphScope scope, SDVariable normalised, SDVariable perSample) {
        static Net build() {
            return build(SIDE);
        }

        static Net build(int side) {
            SameDiff sd = SameDiff.create();
            GraphScope scope = GraphScope.root(sd, DataType.FLOAT, 0);
            SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, C, side, side);
            SDVariable y = new Layers().batchNorm(scope, "bn", x, C, EPS, MOMENTUM);
            SDVariable w = sd.var("w", Nd4j.ones(DataType.FLOAT, 1, C, side, side));
            return new Net(scope, y, y.mul(w).sum(1, 2, 3));
        }

        /** Adam for 3 steps at lr 0.01, fed x and the training flag. */
        TrainingGraph training() {
            return new TrainingGraph(scope, List.of("x", GraphScope.TRAINING_FLAG), List.of(), perSample.name(), ADAM,
                    new Schedules(Schedule.cosine(0.01, 0.01, 3), Schedule.cosine(0, 0, 3)), Freeze.NONE);
        }
    }

    private static INDArray images(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[B * C * SIDE * SIDE];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (3 + 2 * random.nextGaussian());
        }
        return Nd4j.create(values, new long[] {B, C, SIDE, SIDE}, 'c');
    }

    /** Mean and unbiased variance of channel c over (B, h, w). */
    private static double[] statistics(INDArray x, int c) {
        double[] values = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(c)).dup().data().asDouble();
        double mean = 0;
        for (double v : values) {
            mean += v / values.length;
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return new double[] {mean, squares / (values.length - 1)};
    }

    @Test
    void trainingNormalisesWithTheBatchAndEvaluationWithTheRunningAverages() {
        Net net = Net.build();
        INDArray x = images(1);
        Map<String, INDArray> training = new java.util.HashMap<>(StochasticMasks.training(
                net.scope().stochasticInputs(), in -> B, new SplittableRandom(0)));
        training.put("x", x);
        INDArray y = net.normalised().eval(training);
        int n = B * SIDE * SIDE;
        for (int c = 0; c < C; c++) {
            double[] stats = statistics(x, c);
            double biased = stats[1] * (n - 1) / n;
            double expected = (x.getDouble(1, c, 0, 1) - stats[0]) / Math.sqrt(biased + EPS);
            assertEquals(expected, y.getDouble(1, c, 0, 1), 1e-4, "channel " + c + " with batch statistics");
        }
        net.scope().sd().getArrForVarName("bn/running_mean").assign(Nd4j.createFromArray(1f, -2f));
        net.scope().sd().getArrForVarName("bn/running_var").assign(Nd4j.createFromArray(4f, 0.25f));
        Map<String, INDArray> evaluation = new java.util.HashMap<>(StochasticMasks.evaluation(
                net.scope().stochasticInputs(), in -> B));
        evaluation.put("x", x);
        INDArray z = net.normalised().eval(evaluation);
        assertEquals((x.getDouble(2, 0, 1, 1) - 1) / Math.sqrt(4 + EPS), z.getDouble(2, 0, 1, 1), 1e-5);
        assertEquals((x.getDouble(0, 1, 1, 0) + 2) / Math.sqrt(0.25 + EPS), z.getDouble(0, 1, 1, 0), 1e-5);
    }

    @Test
    void everyTrainingStepMovesTheRunningAveragesTowardsItsBatchStatistics() throws InterruptedException {
        Net net = Net.build();
        TrainingGraph graph = net.training();
        List<INDArray> batches = List.of(images(2), images(3), images(4));
        List<Integer> done = new ArrayList<>();
        graph.run(0, 3, new StepSource() {
            @Override
            public MultiDataSet inputs(int step) {
                return new MultiDataSet(new INDArray[] {batches.get(step), Nd4j.ones(DataType.FLOAT, 1)},
                        new INDArray[0]);
            }

            @Override
            public void done(int step, double loss) {
                done.add(step);
            }
        });
        assertEquals(List.of(0, 1, 2), done);
        for (int c = 0; c < C; c++) {
            double mean = 0;
            double variance = 1;
            for (INDArray batch : batches) {
                double[] stats = statistics(batch, c);
                mean = (1 - MOMENTUM) * mean + MOMENTUM * stats[0];
                variance = (1 - MOMENTUM) * variance + MOMENTUM * stats[1];
            }
            Map<String, INDArray> weights = graph.weights();
            assertEquals(mean, weights.get("bn/running_mean").getDouble(c), 1e-5, "running mean, channel " + c);
            assertEquals(variance, weights.get("bn/running_var").getDouble(c), 1e-4, "running var, channel " + c);
        }
        assertTrue(graph.weights().containsKey("bn/gain"), "checkpoints keep the parameters too");

        Map<String, INDArray> saved = new java.util.TreeMap<>();
        graph.weights().forEach((name, array) -> saved.put(name, array.dup()));
        Net fresh = Net.build();
        TrainingGraph restored = fresh.training();
        CheckpointWeights.assign("model", saved, restored.weights());
        assertEquals(saved.get("bn/running_var"), fresh.scope().sd().getArrForVarName("bn/running_var"),
                "a checkpoint restores the running averages into the graph's constants");
    }

    /** One image of 1 x 1 pixels: one value per channel, whose unbiased variance would divide by n - 1 = 0. */
    @Test
    void aSingleValuePerChannelStaysFiniteAndEvaluationStillUsesTheRunningAverages() {
        Net net = Net.build(1);
        INDArray x = Nd4j.createFromArray(2.5f, -1f).reshape(1, C, 1, 1);
        net.scope().sd().getArrForVarName("bn/running_mean").assign(Nd4j.createFromArray(1f, -2f));
        net.scope().sd().getArrForVarName("bn/running_var").assign(Nd4j.createFromArray(4f, 0.25f));
        Map<String, INDArray> evaluation = new java.util.HashMap<>(StochasticMasks.evaluation(
                net.scope().stochasticInputs(), in -> 1));
        evaluation.put("x", x);
        INDArray z = net.normalised().eval(evaluation);
        assertEquals((2.5 - 1) / Math.sqrt(4 + EPS), z.getDouble(0, 0, 0, 0), 1e-5, "evaluation, channel 0");
        assertEquals((-1 + 2) / Math.sqrt(0.25 + EPS), z.getDouble(0, 1, 0, 0), 1e-5, "evaluation, channel 1");

        Map<String, INDArray> training = new java.util.HashMap<>(StochasticMasks.training(
                net.scope().stochasticInputs(), in -> 1, new SplittableRandom(0)));
        training.put("x", x);
        INDArray y = net.normalised().eval(training);
        assertEquals(0, y.getDouble(0, 0, 0, 0), 1e-6, "x - mean = 0 with a single value: the output is the bias");
        assertEquals(0, y.getDouble(0, 1, 0, 0), 1e-6);
    }
}

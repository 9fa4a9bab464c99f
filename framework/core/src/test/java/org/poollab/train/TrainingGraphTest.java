package org.poollab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.graph.GraphScope;
import org.poollab.config.OptimizerConfig;
import org.poollab.schedule.Schedule;

/** Steps run in one fit call: in order, each with its own learning rate, and a non-finite loss stops them. */
class TrainingGraphTest {

    private static final OptimizerConfig ADAM = OptimizerConfig.builder().lr(1).minLr(0).weightDecay(0)
            .weightDecayEnd(0).warmupFraction(0).clipGrad(0).beta1(0.9).beta2(0.999).eps(1e-8).build();

    /** per-sample loss {@code (x w - y)^2} for weights w {@code [2, 1]}, both 1. */
    private static TrainingGraph graph(Schedule lr) {
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", Nd4j.createFromArray(new float[][] {{1f}, {1f}}));
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2);
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, 1);
        SDVariable error = x.mmul(w).sub(y);
        SDVariable perSample = error.mul(error).sum(1);
        return new TrainingGraph(GraphScope.root(sd, DataType.FLOAT, 0), List.of("x"), List.of("y"), perSample.name(),
                ADAM, new Schedules(lr, Schedule.cosine(0, 0, lr.length())), Freeze.NONE);
    }

    /** One sample with inputs (x, 0): only the first weight gets a gradient. */
    private static MultiDataSet batch(float x, float y) {
        return new MultiDataSet(new INDArray[] {Nd4j.createFromArray(new float[][] {{x, 0f}})},
                new INDArray[] {Nd4j.createFromArray(new float[][] {{y}})});
    }

    @Test
    void stepsRunInOrderEachWithItsScheduledLearningRate() throws InterruptedException {
        TrainingGraph graph = graph(Schedule.cosineWithWarmup(0.1, 0.1, 3, 2)); // lr 0, 0.05, then 0.1
        INDArray w = graph.sd().getVariable("w").getArr();
        List<Integer> done = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        graph.run(0, 3, new StepSource() {
            @Override
            public MultiDataSet inputs(int step) {
                return batch(1f, 3f);
            }

            @Override
            public void done(int step, double loss) {
                done.add(step);
                weights.add(w.getFloat(0));
            }
        });
        assertEquals(List.of(0, 1, 2), done);
        assertEquals(1f, weights.get(0), 0f, "learning rate 0 at step 0 leaves w alone");
        assertNotEquals(1f, weights.get(1), "step 1 moves w");
        assertEquals(1f + 0.05f, weights.get(1), 1e-5f, "Adam's first step moves by lr towards y / x = 3");
        assertEquals(1f, w.getFloat(1), 0f, "no gradient, no move");
    }

    @Test
    void aNonFiniteLossStopsAtItsStep() {
        TrainingGraph graph = graph(Schedule.cosine(0.1, 0.1, 5));
        List<Integer> done = new ArrayList<>();
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> graph.run(10, 5,
                new StepSource() {
                    @Override
                    public MultiDataSet inputs(int step) {
                        return step == 12 ? batch(Float.NaN, 1f) : batch(1f, 2f);
                    }

                    @Override
                    public void done(int step, double loss) {
                        done.add(step);
                    }
                }));
        assertEquals(List.of(10, 11), done);
        assertTrue(e.getMessage().contains("at step 12"), e.getMessage());
    }
}

package org.poollab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.backbone.Grid;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.model.ModelGraph;

/** The teacher's EMA (theta_t <- m theta_t + (1 - m) theta_s for every parameter) and its batch norm. */
class MomentumEncoderTest {

    private static MomentumEncoder teacherWith(float[] weights) {
        SameDiff sd = SameDiff.create();
        SDVariable images = sd.placeHolder(ModelGraph.IMAGES, DataType.FLOAT, -1, 2);
        SDVariable w = sd.var("head/W", Nd4j.createFromArray(weights).reshape(2, 1));
        SDVariable out = images.mmul(w);
        ModelGraph model = new ModelGraph(sd, GraphScope.root(sd, DataType.FLOAT, 0), images, out,
                Optional.empty(), new Grid(1, 2), 1);
        return new MomentumEncoder(model, out);
    }

    private static SameDiff studentWith(float[] weights) {
        SameDiff sd = SameDiff.create();
        sd.var("head/W", Nd4j.createFromArray(weights).reshape(2, 1));
        return sd;
    }

    @Test
    void followsTheStudentByExponentialMovingAverage() {
        MomentumEncoder teacher = teacherWith(new float[] {1, -2});
        SameDiff student = studentWith(new float[] {3, 4});
        teacher.follow(student, 0.9);
        assertEquals(0.9 * 1 + 0.1 * 3, teacher.parameters().get("head/W").getDouble(0, 0), 1e-6);
        assertEquals(0.9 * -2 + 0.1 * 4, teacher.parameters().get("head/W").getDouble(1, 0), 1e-6);
        teacher.copyFrom(student);
        assertEquals(3, teacher.parameters().get("head/W").getDouble(0, 0), 0);
        assertEquals(7, teacher.logits(Nd4j.createFromArray(new float[][] {{1, 1}})).getDouble(0, 0), 1e-6);
    }

    /** As in DINO, the teacher's targets use batch statistics, and each pass updates its running averages. */
    @Test
    void targetsUseBatchStatisticsAndUpdateTheTeachersRunningAverages() {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.FLOAT, 0);
        SDVariable images = sd.placeHolder(ModelGraph.IMAGES, DataType.FLOAT, -1, 1, 1, 2);
        SDVariable normalised = new Layers().batchNorm(scope, "bn", images, 1, 0, 0.5).reshape(-1, 2);
        MomentumEncoder teacher = new MomentumEncoder(new ModelGraph(sd, scope, images, normalised, Optional.empty(),
                new Grid(1, 2), 2), normalised);
        INDArray logits = teacher.logits(Nd4j.createFromArray(new float[] {1, 3, 5, 7}).reshape(2, 1, 1, 2));
        double sd4 = Math.sqrt(5); // biased variance of {1, 3, 5, 7} is 5
        assertEquals((1 - 4) / sd4, logits.getDouble(0, 0), 1e-5, "normalised with the batch mean 4");
        assertEquals(0.5 * 0 + 0.5 * 4, teacher.weights().get("bn/running_mean").getDouble(0), 1e-5);
        assertEquals(0.5 * 1 + 0.5 * 20 / 3.0, teacher.weights().get("bn/running_var").getDouble(0), 1e-5,
                "unbiased variance 20 / 3");
    }

    @Test
    void refusesAStudentWithoutTheTeachersParameter() {
        MomentumEncoder teacher = teacherWith(new float[] {1, 2});
        SameDiff other = SameDiff.create();
        other.var("head/V", Nd4j.zeros(DataType.FLOAT, 2, 1));
        assertThrows(IllegalStateException.class, () -> teacher.follow(other, 0.5));
    }
}

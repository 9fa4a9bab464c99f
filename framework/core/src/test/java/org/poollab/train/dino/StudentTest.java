package org.poollab.train.dino;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.poollab.api.backbone.BackboneModule;
import org.poollab.api.backbone.Features;
import org.poollab.api.backbone.Grid;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.api.graph.Precision;
import org.poollab.api.param.Params;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.api.pooling.PoolingResult;
import org.poollab.config.DinoConfig;
import org.poollab.config.ExperimentLoader;
import org.poollab.model.ModelGraph;
import org.poollab.model.ModelSpec;

/**
 * The student runs every view through one set of weights; the teacher's graph has the same parameters and
 * takes the global views only. A one-layer "backbone" (each pixel a token, embedded linearly, with a stochastic
 * branch) stands in for a plugin.
 */
class StudentTest {

    private static final int DIM = 4;
    private static final Layers LAYERS = new Layers();

    @TempDir
    Path dir;

    private DinoConfig dino() throws IOException {
        Path file = dir.resolve("d.yaml");
        Files.writeString(file, "experiment: d\ntrainer: {id: dino, dino: {localCrops: 3, localSize: 4, "
                + "outDim: 8, hiddenDim: 6, bottleneckDim: 5}}\n");
        return ExperimentLoader.load(file, List.of()).trainer().dino();
    }

    private static final BackboneModule PIXEL_TOKENS = new BackboneModule() {
        @Override
        public int featureDim() {
            return DIM;
        }

        @Override
        public boolean supportsPrefixTokens() {
            return false;
        }

        @Override
        public Features forward(GraphScope scope, SDVariable images, ImageShape input, List<String> prefix) {
            int n = input.height() * input.width();
            SDVariable tokens = LAYERS.linearTokens(scope, "embed", images.reshape(-1, n, 1), n, 1, DIM, true);
            SDVariable keep = scope.keepMask("keep", 0.5, 3);
            return new Features(tokens.mul(keep), DIM, new Grid(input.height(), input.width()), Map.of(),
                    UnaryOperator.identity());
        }
    };

    private static final PoolingModule MEAN = (scope, features) ->
            new PoolingResult(LAYERS.tokenMean(features.tokens()), Optional.empty());

    private static ModelSpec spec() {
        Params none = Params.defaults(List.of());
        return new ModelSpec("pixels", none, PIXEL_TOKENS, "mean", none, MEAN, new ImageShape(1, 8, 8));
    }

    private static Map<String, List<Long>> parameterShapes(SameDiff sd) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                out.put(v.name(), Arrays.stream(v.getArr().shape()).boxed().toList());
            }
        }
        return out;
    }

    private static Set<String> placeholders(SameDiff sd) {
        return sd.variables().stream().filter(v -> v.getVariableType() == VariableType.PLACEHOLDER)
                .map(SDVariable::name).collect(Collectors.toSet());
    }

    @Test
    void allViewsShareOneSetOfWeightsWhichTheTeacherMirrors() throws IOException {
        DinoConfig dino = dino();
        Student student = Student.build(spec(), LAYERS, dino, new ImageShape(1, 8, 8), new ImageShape(1, 4, 4), 0,
                Precision.FP32);
        ModelGraph teacherModel = ModelGraph.build(spec(), DataType.FLOAT, 0);
        new DinoHead(LAYERS, dino).apply(teacherModel.scope().child("head"), teacherModel.features(), DIM);

        assertEquals(parameterShapes(teacherModel.sd()), parameterShapes(student.sd()));
        assertEquals(Set.of(Student.GLOBAL, "local", "backbone/keep", "local/backbone/keep", DinoLoss.TEACHER_VIEWS,
                DinoLoss.TEACHER_SUM), placeholders(student.sd()));
        assertEquals(Set.of(ModelGraph.IMAGES, "backbone/keep"), placeholders(teacherModel.sd()),
                "the teacher sees the global views only");
        assertEquals(List.of(Student.GLOBAL, "local", "backbone/keep", "local/backbone/keep"), student.features());
    }

    @Test
    void theLossReachesEveryViewThroughTheSharedWeights() throws IOException {
        DinoConfig dino = dino();
        Student student = Student.build(spec(), LAYERS, dino, new ImageShape(1, 8, 8), new ImageShape(1, 4, 4), 0,
                Precision.FP32);
        int b = 2;
        Nd4j.getRandom().setSeed(1);
        INDArray targets = Nd4j.rand(DataType.FLOAT, 2 * b, 8);
        targets.diviColumnVector(targets.sum(1).reshape(-1, 1));
        Map<String, INDArray> inputs = new HashMap<>(Map.of(
                Student.GLOBAL, Nd4j.randn(DataType.FLOAT, 2 * b, 1, 8, 8),
                "local", Nd4j.randn(DataType.FLOAT, 3 * b, 1, 4, 4),
                "backbone/keep", Nd4j.ones(DataType.FLOAT, 2 * b, 1, 1),
                "local/backbone/keep", Nd4j.ones(DataType.FLOAT, 3 * b, 1, 1),
                DinoLoss.TEACHER_VIEWS, targets,
                DinoLoss.TEACHER_SUM, targets.get(NDArrayIndex.interval(0, b),
                        NDArrayIndex.all()).add(targets.get(
                        NDArrayIndex.interval(b, 2 * b),
                        NDArrayIndex.all()))));
        String loss = student.perImageLoss().mean().name();
        student.sd().setLossVariables(loss);
        Map<String, INDArray> grads = student.sd().calculateGradients(inputs, "backbone/embed/W");
        assertTrue(grads.get("backbone/embed/W").norm2Number().doubleValue() > 0);
        // Dropping every local branch changes the loss: the local views pass through the same embedding.
        double withLocal = student.sd().output(inputs, loss).get(loss).getDouble();
        inputs.put("local/backbone/keep", Nd4j.zeros(DataType.FLOAT, 3 * b, 1, 1));
        double withoutLocal = student.sd().output(inputs, loss).get(loss).getDouble();
        assertFalse(Math.abs(withLocal - withoutLocal) < 1e-7);
    }
}

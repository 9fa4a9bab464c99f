package org.poollab.train.dino;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.api.graph.Precision;
import org.poollab.config.DinoConfig;
import org.poollab.config.ExperimentConfig;
import org.poollab.data.BackgroundBatches;
import org.poollab.data.ImageSet;
import org.poollab.data.SampleWorkers;
import org.poollab.data.augment.MultiCrop;
import org.poollab.data.augment.MultiCropBatch;
import org.poollab.data.augment.MultiCropBatches;
import org.poollab.model.MatrixUnits;
import org.poollab.model.ModelGraph;
import org.poollab.model.ModelSpec;
import org.poollab.train.Checkpoint;
import org.poollab.train.CheckpointWeights;
import org.poollab.train.Freeze;
import org.poollab.train.MomentumEncoder;
import org.poollab.train.PairedTraining;
import org.poollab.train.StepSource;
import org.poollab.train.TrainingGraph;

/**
 * A DINO student and teacher wired for training: the student's graph with AdamW and the frozen-at-first last
 * layer, the teacher as its EMA copy, the centre, the schedules and the multi-crop recipe. One step = teacher
 * logits on the global views, centred targets, a student update, then the EMA and the centre update.
 */
public final class DinoPair implements PairedTraining.Pair {

    /** What a finished step reports to whoever drives the loop. */
    public interface StepListener {

        /**
         * @param step the global step just done
         * @param loss the student's loss before the update
         * @param images images in the batch (B, not counting views)
         * @param targets the teacher's targets {@code [2B, K]} of the step
         * @param momentum the EMA momentum used
         */
        void stepDone(int step, double loss, int images, INDArray targets, double momentum);
    }

    private final ExperimentConfig config;
    private final Student student;
    private final MomentumEncoder teacher;
    private final TrainingGraph training;
    private final TeacherCentre centre;
    private final DinoSchedules schedules;
    private final MultiCrop crops;

    private DinoPair(ExperimentConfig config, Student student, MomentumEncoder teacher, TrainingGraph training,
                     TeacherCentre centre, DinoSchedules schedules, MultiCrop crops) {
        this.config = config;
        this.student = student;
        this.teacher = teacher;
        this.training = training;
        this.centre = centre;
        this.schedules = schedules;
        this.crops = crops;
    }

    /**
     * @param global the global view shape (the data set's image shape)
     * @param stepsPerEpoch optimiser steps in one epoch (sets the schedules and the last layer's freeze)
     * @param replicas the student's data-parallel replicas ({@code trainer.replicas})
     */
    public static DinoPair build(ModelSpec spec, Layers layers, ExperimentConfig config, ImageShape global,
                                 int stepsPerEpoch, int replicas) {
        DinoConfig dino = config.trainer().dino();
        ImageShape local = new ImageShape(global.channels(), dino.localSize(), dino.localSize());
        DinoSchedules schedules = DinoSchedules.of(config.trainer(), stepsPerEpoch * config.trainer().epochs());
        Nd4j.getRandom().setSeed(config.seed());
        List<GraphScope> students = new ArrayList<>();
        Student student = null; // the first replica: read, followed by the teacher, checkpointed
        Precision precision = MatrixUnits.effective(config.trainer().precision());
        for (int r = 0; r < replicas; r++) {
            Student replica = Student.build(spec, layers, dino, global, local, config.seed(), precision);
            student = student == null ? replica : student;
            students.add(replica.scope());
        }
        ModelGraph teacherModel = ModelGraph.build(spec, DataType.FLOAT, config.seed(), precision);
        MomentumEncoder teacher = new MomentumEncoder(teacherModel, new DinoHead(layers, dino)
                .apply(teacherModel.scope().child("head"), teacherModel.features(), teacherModel.featureDim()));
        teacher.copyFrom(student.sd());
        Freeze lastLayer = new Freeze(name -> name.contains("/" + DinoHead.LAST_LAYER + "/"),
                dino.freezeLastLayerEpochs() * stepsPerEpoch);
        // The images of a step: the rows of its teacher targets summed over the global views, [B, K].
        TrainingGraph training = new TrainingGraph(students, batch -> (int) batch.getLabels(1).size(0),
                student.features(), Student.labels(), student.perImageLoss().name(),
                config.trainer().optimizer(), schedules.optimizer(), lastLayer, Set.of());
        return new DinoPair(config, student, teacher, training, new TeacherCentre(dino.outDim(),
                dino.centerMomentum()), schedules, crops(config, global));
    }

    /** DINO's views of images of the {@code global} shape: two global crops and the local ones. */
    public static MultiCrop crops(ExperimentConfig config, ImageShape global) {
        return new MultiCrop(config.trainer().dino(), global.height(), config.data().means(global.channels()),
                config.data().stds(global.channels()));
    }

    @Override
    public BackgroundBatches<MultiCropBatch> batches(ImageSet train, int epoch, int batchSize, int first) {
        return MultiCropBatches.epoch(train, crops, SampleWorkers.of(config.data().workerThreads()), batchSize,
                student.scope().stochasticInputs(), config.seed(), epoch, first);
    }

    /**
     * Runs {@code count} DINO steps from global step {@code first}, one batch each.
     *
     * @param listener told after every step
     */
    public void run(int first, int count, BackgroundBatches<MultiCropBatch> batches, StepListener listener)
            throws InterruptedException {
        training.run(first, count, new StepSource() {
            private MultiCropBatch current;
            private INDArray teacherLogits;
            private INDArray targets;

            @Override
            public MultiDataSet inputs(int step) throws InterruptedException {
                current = batches.next();
                teacherLogits = teacher.logits(current.global()); // [2B, K]
                targets = centre.targets(teacherLogits, schedules.teacherTemp().at(step));
                int b = current.images();
                INDArray summed = targets.get(NDArrayIndex.interval(0, b), NDArrayIndex.all())
                        .add(targets.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all()));
                return new MultiDataSet(student.featureArrays(current), new INDArray[] {targets, summed});
            }

            @Override
            public void done(int step, double loss) {
                double momentum = schedules.momentum().at(step);
                teacher.follow(student.sd(), momentum);
                centre.update(teacherLogits);
                listener.stepDone(step, loss, current.images(), targets, momentum);
            }
        });
    }

    /** The teacher's backbone + pooling. */
    @Override
    public ModelGraph evaluatedModel() {
        return teacher.model();
    }

    /** The student's graph (the one the optimiser steps). */
    public SameDiff studentGraph() {
        return student.sd();
    }

    DinoSchedules schedules() {
        return schedules;
    }

    TeacherCentre centre() {
        return centre;
    }

    /** Student, teacher, AdamW's state and the centre. */
    @Override
    public Map<String, Map<String, INDArray>> state() {
        Map<String, Map<String, INDArray>> state = new LinkedHashMap<>();
        state.put("student", training.weights());
        state.put("teacher", teacher.weights());
        state.put(TrainingGraph.OPTIMIZER, training.optimizerState());
        state.put("centre", Map.of("center", centre.centre()));
        return state;
    }

    /** Student, AdamW, teacher and centre as they were saved. */
    @Override
    public void restore(Checkpoint checkpoint) {
        training.restore(checkpoint, "student");
        CheckpointWeights.assign("teacher", checkpoint.arraysOf("teacher"), teacher.weights());
        CheckpointWeights.assign("centre", checkpoint.arraysOf("centre"), Map.of("center", centre.centre()));
    }
}

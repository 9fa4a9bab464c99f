package org.poollab.train.dino;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.graph.Layers;
import org.poollab.config.DinoConfig;
import org.poollab.config.ExperimentConfig;
import org.poollab.config.TrainerConfig;
import org.poollab.data.BackgroundBatches;
import org.poollab.data.ImageDataset;
import org.poollab.data.Preprocessing;
import org.poollab.data.TrainingBatches;
import org.poollab.data.augment.MultiCrop;
import org.poollab.data.augment.MultiCropBatch;
import org.poollab.data.augment.MultiCropBatches;
import org.poollab.eval.Evaluation;
import org.poollab.model.ModelGraph;
import org.poollab.train.AttentionArtifact;
import org.poollab.train.Checkpoint;
import org.poollab.train.Freeze;
import org.poollab.train.ProgressBar;
import org.poollab.train.RunCheckpoints;
import org.poollab.train.StepLog;
import org.poollab.train.StepSource;
import org.poollab.train.Trainer;
import org.poollab.train.TrainingGraph;
import org.poollab.train.TrainingRun;

/**
 * DINO (SPEC §6): the student learns, over all multi-crop views, to match the centred and sharpened teacher on
 * the other global view; the teacher follows the student by EMA. No labels are read for training; k-NN on the
 * teacher's backbone + pooling features judges the run. A checkpoint is written at every epoch end.
 */
public final class DinoTrainer implements Trainer {

    private final Layers layers;
    private final PrintStream progress;

    /**
     * @param layers graph building blocks
     * @param progress where progress bars go
     */
    public DinoTrainer(Layers layers, PrintStream progress) {
        this.layers = layers;
        this.progress = progress;
    }

    @Override
    public String id() {
        return "dino";
    }

    @Override
    public Map<String, Double> train(TrainingRun run) throws InterruptedException {
        ExperimentConfig config = run.config();
        TrainerConfig trainer = config.trainer();
        DinoConfig dino = trainer.dino();
        ImageDataset train = run.data().train();
        ImageShape global = run.spec().input();
        ImageShape local = new ImageShape(global.channels(), dino.localSize(), dino.localSize());
        int stepsPerEpoch = TrainingBatches.stepsPerEpoch(train.size(), trainer.batchSize());
        DinoSchedules schedules = DinoSchedules.of(trainer, stepsPerEpoch * trainer.epochs());

        Nd4j.getRandom().setSeed(config.seed());
        Student student = Student.build(run.spec(), layers, dino, global, local, config.seed());
        ModelGraph teacherModel = ModelGraph.build(run.spec(), DataType.FLOAT, config.seed());
        Teacher teacher = new Teacher(teacherModel, new DinoHead(layers, dino)
                .apply(teacherModel.scope().child("head"), teacherModel.features(), teacherModel.featureDim()));
        teacher.copyFrom(student.sd());
        Freeze lastLayer = new Freeze(name -> name.contains("/" + DinoHead.LAST_LAYER + "/"),
                dino.freezeLastLayerEpochs() * stepsPerEpoch);
        TrainingGraph training = new TrainingGraph(student.sd(), student.features(), Student.labels(),
                student.perImageLoss().name(), trainer.optimizer(), schedules.optimizer(), lastLayer);
        TeacherCentre centre = new TeacherCentre(dino.outDim(), dino.centerMomentum());
        MultiCrop crops = new MultiCrop(dino, global.height(), config.data().mean(), config.data().std());
        Evaluation evaluation = new Evaluation(config.eval(), Preprocessing.of(config.data(), false), progress);

        Map<String, Double> last = Map.of();
        for (int epoch = 0; epoch < trainer.epochs(); epoch++) {
            try (BackgroundBatches<MultiCropBatch> batches = MultiCropBatches.epoch(train, crops,
                    trainer.batchSize(), student.scope().stochasticInputs(), config.seed(), epoch)) {
                EpochState state = new EpochState(student, teacher, training, centre, schedules, run, epoch);
                state.run(batches);
            }
            writeCheckpoint(run, epoch, training, teacher, centre, (epoch + 1) * stepsPerEpoch);
            boolean finalEpoch = epoch == trainer.epochs() - 1;
            if (finalEpoch || (epoch + 1) % config.eval().everyEpochs() == 0) {
                last = evaluation.evaluate(teacher.model(), train, run.data().test());
                run.observer().onEvaluation(epoch + 1, last);
            }
        }
        AttentionArtifact.log(evaluation, teacher.model(), run.data().test(), run);
        return last;
    }

    /** One epoch's loop and its running health metrics. */
    private final class EpochState {

        private final Student student;
        private final Teacher teacher;
        private final TrainingGraph training;
        private final TeacherCentre centre;
        private final DinoSchedules schedules;
        private final TrainingRun run;
        private final int epoch;

        EpochState(Student student, Teacher teacher, TrainingGraph training, TeacherCentre centre,
                   DinoSchedules schedules, TrainingRun run, int epoch) {
            this.student = student;
            this.teacher = teacher;
            this.training = training;
            this.centre = centre;
            this.schedules = schedules;
            this.run = run;
            this.epoch = epoch;
        }

        void run(BackgroundBatches<MultiCropBatch> batches) throws InterruptedException {
            TrainerConfig trainer = run.config().trainer();
            int steps = batches.steps();
            ProgressBar bar = new ProgressBar(progress, "dino epoch " + (epoch + 1) + "/" + trainer.epochs(), steps);
            StepLog log = new StepLog(run.observer(), trainer.logEvery());
            int first = epoch * steps;
            training.run(first, steps, new StepSource() {
                private MultiCropBatch current;
                private INDArray teacherLogits;
                private INDArray targets;
                private long images;

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
                    teacher.followStudent(student.sd(), momentum);
                    centre.update(teacherLogits);
                    images += current.images();
                    double entropy = TeacherCentre.meanEntropy(targets);
                    bar.update(step - first + 1, images, String.format(Locale.ROOT, "loss %.4f H(t) %.3f", loss,
                            entropy));
                    log.after(step, current.images(), step == first + steps - 1,
                            () -> health(step, loss, entropy, momentum));
                }
            });
        }

        private Map<String, Double> health(int step, double loss, double entropy, double momentum) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("loss", loss);
            metrics.put("teacher_entropy", entropy);
            metrics.put("kl_teacher_student", loss - entropy);
            metrics.put("center_norm", centre.norm());
            metrics.put("lr", schedules.optimizer().learningRate().at(step));
            metrics.put("wd", schedules.optimizer().weightDecay().at(step));
            metrics.put("momentum", momentum);
            metrics.put("teacher_temp", schedules.teacherTemp().at(step));
            return metrics;
        }
    }

    private static void writeCheckpoint(TrainingRun run, int epoch, TrainingGraph training, Teacher teacher,
                                        TeacherCentre centre, int nextStep) {
        Checkpoint checkpoint = RunCheckpoints.start(run, epoch + 1, nextStep)
                .arrays("student", training.parameters())
                .arrays("teacher", teacher.parameters())
                .arrays("optimizer", training.optimizerState())
                .arrays("centre", Map.of("center", centre.centre()));
        RunCheckpoints.write(run, checkpoint, epoch + 1);
    }
}

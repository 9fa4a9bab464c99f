package org.poollab.train.mocov3;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.graph.Layers;
import org.poollab.api.graph.ParamInit;
import org.poollab.api.graph.Precision;
import org.poollab.config.ConfigException;
import org.poollab.config.ExperimentConfig;
import org.poollab.config.MocoConfig;
import org.poollab.data.BackgroundBatches;
import org.poollab.data.ImageSet;
import org.poollab.data.SampleWorkers;
import org.poollab.data.augment.MultiCrop;
import org.poollab.data.augment.MultiCropBatch;
import org.poollab.data.augment.MultiCropBatches;
import org.poollab.model.MatrixUnits;
import org.poollab.model.ModelGraph;
import org.poollab.model.ModelSpec;
import org.poollab.schedule.Schedule;
import org.poollab.train.Checkpoint;
import org.poollab.train.CheckpointWeights;
import org.poollab.train.Freeze;
import org.poollab.train.MomentumEncoder;
import org.poollab.train.PairedTraining;
import org.poollab.train.Schedules;
import org.poollab.train.StepSource;
import org.poollab.train.TrainingGraph;

/**
 * The MoCo v3 base encoder (trained with AdamW) and momentum encoder, wired for training with the schedules and the
 * two-view augmentation. One step, in the reference's order: the momentum encoder follows the base encoder by EMA
 * with this step's momentum, computes the keys of both views (batch statistics), then the base encoder takes one
 * optimiser step on the symmetric contrastive loss.
 */
public final class MocoPair implements PairedTraining.Pair {

    /** The ViT's patch projection, which {@code freezePatchEmbedding} keeps at its initialisation. */
    static final String PATCH_EMBEDDING = "backbone/patch_embed/";

    /** What a finished step reports to whoever drives the loop. */
    public interface StepListener {

        /**
         * @param step the global step just done
         * @param loss the loss before the update
         * @param images images in the batch
         * @param outputs the step's queries and keys, for health metrics
         * @param momentum the EMA momentum used
         */
        void stepDone(int step, double loss, int images, StepOutputs outputs, double momentum);
    }

    /**
     * A step's queries and keys, both views.
     *
     * @param queries {@code q1, q2}, each {@code [B, D]}
     * @param keys {@code k1, k2}, each {@code [B, D]}
     */
    public record StepOutputs(List<INDArray> queries, List<INDArray> keys) {
    }

    private final ExperimentConfig config;
    private final MocoBase base;
    private final MomentumEncoder momentum;
    private final TrainingGraph training;
    private final Schedules optimizerSchedules;
    private final Schedule momentumSchedule;
    private final MultiCrop crops;

    private MocoPair(ExperimentConfig config, MocoBase base, MomentumEncoder momentum, TrainingGraph training,
                     Schedules optimizerSchedules, Schedule momentumSchedule, MultiCrop crops) {
        this.config = config;
        this.base = base;
        this.momentum = momentum;
        this.training = training;
        this.optimizerSchedules = optimizerSchedules;
        this.momentumSchedule = momentumSchedule;
        this.crops = crops;
    }

    /**
     * @param view the views' shape (the data set's image shape)
     * @param stepsPerEpoch optimiser steps in one epoch (sets the schedules)
     * @throws ConfigException if {@code freezePatchEmbedding} is asked of a backbone without a patch projection
     */
    public static MocoPair build(ModelSpec spec, Layers layers, ExperimentConfig config, ImageShape view,
                                 int stepsPerEpoch) {
        MocoConfig moco = config.trainer().mocov3();
        int totalSteps = stepsPerEpoch * config.trainer().epochs();
        Schedules schedules = Schedules.of(config.trainer().optimizer(), totalSteps,
                config.trainer().batchSize() / 256.0);
        Nd4j.getRandom().setSeed(config.seed());
        Precision precision = MatrixUnits.effective(config.trainer().precision());
        MocoBase base = MocoBase.build(spec, layers, moco, view, config.seed(), precision);
        Freeze frozen = Freeze.NONE;
        if (moco.freezePatchEmbedding()) {
            reinitialisePatchEmbedding(base.sd(), config.seed());
            frozen = new Freeze(name -> name.startsWith(PATCH_EMBEDDING), Integer.MAX_VALUE);
        }
        ModelGraph model = ModelGraph.build(spec, DataType.FLOAT, config.seed(), precision);
        SDVariable keys = MocoBase.projector(layers, moco).apply(model.scope().child(MocoBase.PROJECTOR),
                model.features(), model.featureDim());
        MomentumEncoder momentum = new MomentumEncoder(model, keys);
        momentum.copyFrom(base.sd());
        TrainingGraph training = new TrainingGraph(base.scope(), base.features(), MocoBase.KEYS,
                base.perImageLoss().name(), config.trainer().optimizer(), schedules, frozen,
                Set.copyOf(base.queries()));
        return new MocoPair(config, base, momentum, training, schedules,
                Schedule.cosine(moco.momentum(), 1.0, totalSteps), crops(config, view));
    }

    /** MoCo v3's two views of images of the {@code view} shape (multi-crop without local crops). */
    public static MultiCrop crops(ExperimentConfig config, ImageShape view) {
        MocoConfig moco = config.trainer().mocov3();
        return new MultiCrop(moco.augmentation(), view.height(), moco.cropScale(), 0, view.height(),
                moco.cropScale(), config.data().means(view.channels()), config.data().stds(view.channels()));
    }

    /**
     * The reference's frozen patch projection: Xavier-uniform weights, {@code U(-a, a)} with {@code a = sqrt(6 /
     * (C p p + d))}, and a zero bias, drawn from the seed.
     */
    private static void reinitialisePatchEmbedding(SameDiff sd, long seed) {
        String weightName = PATCH_EMBEDDING + "W";
        if (!sd.hasVariable(weightName)) {
            throw new ConfigException("trainer.mocov3.freezePatchEmbedding", "applies to ViT backbones (a patch "
                    + "projection " + weightName + "); this backbone has none: set it to false");
        }
        INDArray weight = sd.getVariable(weightName).getArr(); // [C p p, d]
        double bound = Math.sqrt(6.0 / (weight.size(0) + weight.size(1)));
        weight.assign(new ParamInit(seed, weight.dataType()).uniform(bound, weight.shape()));
        if (sd.hasVariable(PATCH_EMBEDDING + "b")) {
            sd.getVariable(PATCH_EMBEDDING + "b").getArr().assign(0);
        }
    }

    @Override
    public BackgroundBatches<MultiCropBatch> batches(ImageSet train, int epoch, int batchSize, int first) {
        return MultiCropBatches.epoch(train, crops, SampleWorkers.of(config.data().workerThreads()), batchSize,
                base.scope().stochasticInputs(), config.seed(), epoch, first);
    }

    /**
     * Runs {@code count} steps from global step {@code first}, one batch each.
     *
     * @param listener told after every step
     */
    public void run(int first, int count, BackgroundBatches<MultiCropBatch> batches, StepListener listener)
            throws InterruptedException {
        training.run(first, count, new StepSource() {
            private MultiCropBatch current;
            private List<INDArray> keys;
            private double stepMomentum;

            @Override
            public MultiDataSet inputs(int step) throws InterruptedException {
                current = batches.next();
                stepMomentum = momentumSchedule.at(step);
                momentum.follow(base.sd(), stepMomentum);
                int b = current.images();
                INDArray views = current.global(); // [2B, C, H, W]
                keys = List.of(momentum.logits(views.get(NDArrayIndex.interval(0, b))),
                        momentum.logits(views.get(NDArrayIndex.interval(b, 2 * b))));
                return new MultiDataSet(base.featureArrays(current), keys.toArray(INDArray[]::new));
            }

            @Override
            public void done(int step, double loss) {
                List<INDArray> queries = base.queries().stream().map(training::watched).toList();
                listener.stepDone(step, loss, current.images(), new StepOutputs(queries, keys), stepMomentum);
            }
        });
    }

    /** The momentum encoder's backbone + pooling. */
    @Override
    public ModelGraph evaluatedModel() {
        return momentum.model();
    }

    /** The base encoder's graph (the one the optimiser steps). */
    public SameDiff baseGraph() {
        return base.sd();
    }

    /** The momentum encoder. */
    public MomentumEncoder momentumEncoder() {
        return momentum;
    }

    Schedules optimizerSchedules() {
        return optimizerSchedules;
    }

    Schedule momentumSchedule() {
        return momentumSchedule;
    }

    /** The base encoder, the momentum encoder and AdamW's state. */
    @Override
    public Map<String, Map<String, INDArray>> state() {
        Map<String, Map<String, INDArray>> state = new LinkedHashMap<>();
        state.put("base", training.weights());
        state.put("momentum", momentum.weights());
        state.put(TrainingGraph.OPTIMIZER, training.optimizerState());
        return state;
    }

    /** Base encoder, AdamW and momentum encoder as they were saved. */
    @Override
    public void restore(Checkpoint checkpoint) {
        training.restore(checkpoint, "base");
        CheckpointWeights.assign("momentum", checkpoint.arraysOf("momentum"), momentum.weights());
    }
}

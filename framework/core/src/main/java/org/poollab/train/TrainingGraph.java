package org.poollab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.graph.GraphScope;
import org.poollab.config.OptimizerConfig;
import org.poollab.model.ModelGraph;

/**
 * A SameDiff graph made trainable: its loss is the batch mean of a per-sample loss, AdamW is installed, and
 * {@link #run} runs a range of steps (forward + backward + update each, then the running averages). Built on
 * several replicas of the graph, each step is split across them ({@link ReplicaSteps}); their weights and optimiser
 * states stay equal, and the first replica is the one read, checkpointed and evaluated.
 */
public final class TrainingGraph {

    /**
     * With {@code -Dpoollab.gcEverySteps=N} (N > 0) a garbage collection after every N-th step releases the native
     * memory of the step's arrays at once; ND4J frees it only when their Java objects are collected, so by default
     * resident memory climbs to the JavaCPP cap. Measured (ViT d192, batch 64, 1 thread): training peak RSS 2.25 ->
     * 1.51 GB with N = 1, at 64.0 -> 61.1 img/s.
     */
    private static final int GC_EVERY_STEPS = Integer.getInteger("poollab.gcEverySteps", 0);

    /**
     * After {@code stepsDone} global steps: a garbage collection every {@code poollab.gcEverySteps} steps, which
     * frees the steps' native arrays now instead of when the memory cap is reached.
     */
    static void collectIfDue(int stepsDone) {
        if (GC_EVERY_STEPS > 0 && stepsDone % GC_EVERY_STEPS == 0) {
            System.gc();
        }
    }

    /** The checkpoint group of {@link #optimizerState}. */
    public static final String OPTIMIZER = "optimizer";

    /** The images of a step whose first feature holds one row per image (plain images, not views). */
    public static final ToIntFunction<MultiDataSet> ROWS_OF_FIRST_FEATURE = batch -> (int) batch.getFeatures(0)
            .size(0);

    private final List<Replica> replicas;
    private final ToIntFunction<MultiDataSet> imagesOf;
    private final StepClock clock;

    /**
     * One replica of the graph and what its fit loop runs with.
     *
     * @param scope the graph's root scope
     * @param averages its batch-norm running averages
     * @param capture its loss and watched values
     */
    record Replica(GraphScope scope, RunningAverages averages, LossCapture capture) {
    }

    /**
     * @param scope the graph's root scope
     * @param features placeholders fed by the features of each {@link StepSource#inputs} batch, in order
     * @param labels placeholders fed by the labels of each {@link StepSource#inputs} batch, in order
     * @param perSampleLoss the per-sample loss variable {@code [B]}; the training loss is its mean
     * @param optimizer AdamW settings
     * @param schedules learning rate and weight decay per global step
     * @param freeze parameters held still early in training ({@link Freeze#NONE} for none)
     */
    public TrainingGraph(GraphScope scope, List<String> features, List<String> labels, String perSampleLoss,
                         OptimizerConfig optimizer, Schedules schedules, Freeze freeze) {
        this(scope, features, labels, perSampleLoss, optimizer, schedules, freeze, Set.of());
    }

    /**
     * As above, keeping the last value of each {@code watched} variable ({@link #watched}).
     *
     * @param watched variables computed by the training step whose values a trainer reads after it
     */
    public TrainingGraph(GraphScope scope, List<String> features, List<String> labels, String perSampleLoss,
                         OptimizerConfig optimizer, Schedules schedules, Freeze freeze, Set<String> watched) {
        this(List.of(scope), ROWS_OF_FIRST_FEATURE, features, labels, perSampleLoss, optimizer, schedules, freeze,
                watched);
    }

    /**
     * Replicas of one graph, trained as one: each step's images split equally between them.
     *
     * @param replicas graphs built alike (the same variables and placeholders); the others start from the first's
     *     weights
     * @param imagesOf the images a step's inputs hold, which must split evenly between the replicas
     * @param watched variables whose last values (the first replica's) a trainer reads after a step
     */
    public TrainingGraph(List<GraphScope> replicas, ToIntFunction<MultiDataSet> imagesOf, List<String> features,
                         List<String> labels, String perSampleLoss, OptimizerConfig optimizer, Schedules schedules,
                         Freeze freeze, Set<String> watched) {
        this.clock = new StepClock();
        this.imagesOf = imagesOf;
        GradientExchange exchange = new GradientExchange(replicas.size());
        List<Replica> built = new ArrayList<>();
        for (int r = 0; r < replicas.size(); r++) {
            GraphScope scope = replicas.get(r);
            if (r > 0) {
                CheckpointWeights.assign("replica " + r, ModelGraph.weightsOf(replicas.get(0)),
                        ModelGraph.weightsOf(scope));
            }
            SameDiff sd = scope.sd();
            String loss = sd.getVariable(perSampleLoss).mean().name();
            Optimizer.install(sd, features, labels, loss, optimizer, schedules, clock, freeze, exchange, r);
            built.add(new Replica(scope, new RunningAverages(scope), new LossCapture(perSampleLoss, watched)));
        }
        this.replicas = List.copyOf(built);
    }

    /** How many replicas share each step. */
    public int replicas() {
        return replicas.size();
    }

    /**
     * Runs global steps {@code [first, first + count)} in ONE SameDiff fit call: fit builds a fresh session, and
     * with it a fresh array cache, on every call, so one call per step would allocate every activation anew
     * (21 % of native time in a profile). Inputs are pulled from {@code source} on this thread as each step
     * starts (the learning-rate clock is set first); {@link StepSource#done} follows each update.
     *
     * @throws NonFiniteLossException if a loss is NaN or infinite; training stops at that step
     * @throws TrainingStoppedException if the process is ending ({@link StepBoundaryStop}): after the update and
     *     {@link StepSource#done} of the step in flight
     * @throws InterruptedException if the source was interrupted
     */
    public void run(int first, int count, StepSource source) throws InterruptedException {
        StepBoundaryStop stop = StepBoundaryStop.process();
        if (replicas.size() > 1) {
            new ReplicaSteps(replicas, imagesOf).run(first, count, source, clock, stop);
            return;
        }
        Replica replica = replicas.get(0);
        LossCapture capture = replica.capture();
        StepIterator steps = new StepIterator(first, count, source, clock);
        BaseListener afterEachStep = new BaseListener() {
            private int step = first;

            @Override
            public boolean isActive(Operation operation) {
                return operation == Operation.TRAINING;
            }

            @Override
            public void iterationDone(SameDiff graph, At at, MultiDataSet batch,
                                      Loss loss) {
                double value = capture.last();
                if (!Double.isFinite(value)) {
                    throw new NonFiniteLossException(step, value);
                }
                source.done(step++, value);
                if (stop.requested()) {
                    throw new TrainingStoppedException(step, Optional.empty());
                }
                collectIfDue(step);
            }
        };
        try {
            replica.scope().sd().fit(steps, 1, capture, replica.averages().listener(), afterEachStep);
        } catch (RuntimeException e) {
            throw unwrapped(e);
        }
    }

    /** SameDiff wraps what the step source and listeners throw; give callers the original. */
    private static RuntimeException unwrapped(RuntimeException e) throws InterruptedException {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof StepIterator.Interrupted interrupted) {
                throw interrupted.interruption();
            }
            if (cause instanceof NonFiniteLossException nonFinite) {
                return nonFinite;
            }
            if (cause instanceof TrainingStoppedException stopped) {
                return stopped;
            }
        }
        return e;
    }

    /**
     * The value a watched variable had in the last step.
     *
     * @return a copy, or null before the first step
     */
    public INDArray watched(String name) {
        return replicas.get(0).capture().watched(name);
    }

    /** The (first replica's) graph. */
    public SameDiff sd() {
        return replicas.get(0).scope().sd();
    }

    /**
     * Every trainable parameter and running average by graph name (live arrays of the first replica): what a
     * checkpoint keeps.
     */
    public Map<String, INDArray> weights() {
        return ModelGraph.weightsOf(replicas.get(0).scope());
    }

    /**
     * Puts a checkpoint's weights and AdamW state back, so training continues exactly where it was saved.
     *
     * @param group the checkpoint group holding the weights
     * @throws org.poollab.data.DataException naming the first array that is missing or does not fit
     */
    public void restore(Checkpoint checkpoint, String group) {
        Map<String, INDArray> saved = checkpoint.arraysOf(OPTIMIZER);
        for (Replica replica : replicas) { // every replica: they continue alike
            CheckpointWeights.assign(group, checkpoint.arraysOf(group), ModelGraph.weightsOf(replica.scope()));
            CheckpointWeights.assign(OPTIMIZER, saved, optimizerState(replica)); // M and V in place; counts checked
            replica.scope().sd().getUpdaterMap().forEach((name, updater) ->
                    ((AdamW) updater).restoreUpdates(saved.get(name + "/updates").getInt(0)));
        }
    }

    /**
     * AdamW's state for checkpoints (the first replica's, which every replica shares): {@code <param>/M},
     * {@code <param>/V} and {@code <param>/updates} (scalar).
     */
    public Map<String, INDArray> optimizerState() {
        return optimizerState(replicas.get(0));
    }

    private static Map<String, INDArray> optimizerState(Replica replica) {
        Map<String, INDArray> out = new TreeMap<>();
        replica.scope().sd().getUpdaterMap().forEach((name, updater) -> {
            AdamW adam = (AdamW) updater;
            adam.getState().forEach((key, value) -> out.put(name + "/" + key, value));
            out.put(name + "/updates", Nd4j.scalar(adam.updates()));
        });
        return out;
    }
}

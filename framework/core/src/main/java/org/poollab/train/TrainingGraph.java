package org.poollab.train;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
 * {@link #run} runs a range of steps (forward + backward + update each, then the running averages).
 */
public final class TrainingGraph {

    /**
     * With {@code -Dpoollab.gcEverySteps=N} (N > 0) a garbage collection after every N-th step releases the native
     * memory of the step's arrays at once; ND4J frees it only when their Java objects are collected, so by default
     * resident memory climbs to the JavaCPP cap. Measured (ViT d192, batch 64, 1 thread): training peak RSS 2.25 ->
     * 1.51 GB with N = 1, at 64.0 -> 61.1 img/s.
     */
    private static final int GC_EVERY_STEPS = Integer.getInteger("poollab.gcEverySteps", 0);

    /** The checkpoint group of {@link #optimizerState}. */
    public static final String OPTIMIZER = "optimizer";

    private final GraphScope scope;
    private final RunningAverages runningAverages;
    private final LossCapture capture;
    private final StepClock clock;

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
        this.scope = scope;
        this.runningAverages = new RunningAverages(scope);
        this.capture = new LossCapture(perSampleLoss, watched);
        this.clock = new StepClock();
        SameDiff sd = scope.sd();
        String loss = sd.getVariable(perSampleLoss).mean().name();
        Optimizer.install(sd, features, labels, loss, optimizer, schedules, clock, freeze);
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
        StepIterator steps = new StepIterator(first, count, source, clock);
        StepBoundaryStop stop = StepBoundaryStop.process();
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
                if (GC_EVERY_STEPS > 0 && step % GC_EVERY_STEPS == 0) {
                    System.gc(); // frees the step's native arrays now instead of when the memory cap is reached
                }
            }
        };
        stop.enter();
        try {
            scope.sd().fit(steps, 1, capture, runningAverages.listener(), afterEachStep);
        } catch (RuntimeException e) {
            throw unwrapped(e);
        } finally {
            stop.leave();
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
        return capture.watched(name);
    }

    /** The graph. */
    public SameDiff sd() {
        return scope.sd();
    }

    /** Every trainable parameter and running average by graph name (live arrays): what a checkpoint keeps. */
    public Map<String, INDArray> weights() {
        return ModelGraph.weightsOf(scope);
    }

    /**
     * Puts a checkpoint's weights and AdamW state back, so training continues exactly where it was saved.
     *
     * @param group the checkpoint group holding the weights
     * @throws org.poollab.data.DataException naming the first array that is missing or does not fit
     */
    public void restore(Checkpoint checkpoint, String group) {
        CheckpointWeights.assign(group, checkpoint.arraysOf(group), weights());
        Map<String, INDArray> saved = checkpoint.arraysOf(OPTIMIZER);
        CheckpointWeights.assign(OPTIMIZER, saved, optimizerState()); // M and V in place; counts checked
        scope.sd().getUpdaterMap().forEach((name, updater) ->
                ((AdamW) updater).restoreUpdates(saved.get(name + "/updates").getInt(0)));
    }

    /** AdamW's state for checkpoints: {@code <param>/M}, {@code <param>/V} and {@code <param>/updates} (scalar). */
    public Map<String, INDArray> optimizerState() {
        Map<String, INDArray> out = new TreeMap<>();
        scope.sd().getUpdaterMap().forEach((name, updater) -> {
            AdamW adam = (AdamW) updater;
            adam.getState().forEach((key, value) -> out.put(name + "/" + key, value));
            out.put(name + "/updates", Nd4j.scalar(adam.updates()));
        });
        return out;
    }
}

package org.poollab.train;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Averages each parameter's gradient across the replicas of a training graph, inside their concurrent SameDiff fit
 * loops: each replica's updater hands in its gradient and waits; the last to arrive sums them in replica order and
 * divides by their number, and every replica continues with that one average (so their updates, and their weights,
 * stay bitwise equal whatever the threads' timing). Replicas run the same graph in the same op order, so they ask
 * for the parameters in the same order; the loop's step barrier keeps a replica from reaching the next step's
 * gradients before every replica has taken this step's.
 */
final class GradientExchange {

    /** A replica that never arrives means the replicas are out of step: fail instead of hanging. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final int replicas;
    private final Map<String, Slot> slots = new HashMap<>();

    /** @param replicas how many replicas take part (1: nothing to exchange) */
    GradientExchange(int replicas) {
        this.replicas = replicas;
    }

    /** One parameter's gradients of the current step. */
    private final class Slot {
        private final INDArray[] parts = new INDArray[replicas];
        private int arrived;
        private long round;
        /** The last round's average, overwritten by the next. */
        private INDArray average;
    }

    /**
     * Replaces {@code gradient} (replica {@code replica}'s, of parameter {@code name}) with the average of every
     * replica's gradient of it.
     *
     * @throws IllegalStateException if the other replicas do not hand in theirs within {@link #TIMEOUT}
     */
    void average(String name, int replica, INDArray gradient) throws InterruptedException {
        if (replicas == 1) {
            return;
        }
        Slot slot;
        synchronized (slots) {
            slot = slots.computeIfAbsent(name, n -> new Slot());
        }
        INDArray average;
        synchronized (slot) {
            long round = slot.round;
            slot.parts[replica] = gradient;
            if (++slot.arrived == replicas) {
                // One buffer per parameter for every step: each replica has copied the last average out before
                // it can arrive here again, so the next round may overwrite it.
                if (slot.average == null) {
                    slot.average = gradient.ulike();
                }
                INDArray sum = slot.average.assign(slot.parts[0]);
                for (int r = 1; r < replicas; r++) {
                    sum.addi(slot.parts[r]);
                }
                sum.divi(replicas);
                Arrays.fill(slot.parts, null);
                slot.arrived = 0;
                slot.round++;
                slot.notifyAll();
            } else {
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (slot.round == round) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("replica " + replica + " waited " + TIMEOUT.toMinutes()
                                + " min for the other replicas' gradient of " + name + ": the replicas are out of "
                                + "step (a replica failed, or their graphs differ)");
                    }
                    slot.wait(Math.max(1, left / 1_000_000));
                }
            }
            average = slot.average;
        }
        gradient.assign(average);
    }
}

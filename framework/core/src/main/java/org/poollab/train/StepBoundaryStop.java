package org.poollab.train;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Stops training at the next step boundary when the process is asked to end (SIGTERM or Ctrl-C: a sweep stopping
 * its workers, Slurm's {@code scancel}, or the batch script passing on Slurm's USR1 warning before a time limit).
 * The JVM's shutdown hook asks; the training loop, once the step in flight has updated the weights, writes a
 * checkpoint of that step and ends the run; the hook waits for the checkpoint (at most {@link #WAIT}), so the JVM
 * exits with it on disk and a resume loses nothing. A stop outside training epochs (loading data, evaluating)
 * does not wait: the run continues from its newest checkpoint.
 */
public final class StepBoundaryStop {

    /**
     * How long the JVM waits for the step in flight and its checkpoint: a step takes seconds; Slurm warns 120 s
     * before a time limit and kills 30 s (its default KillWait) after a cancel's SIGTERM.
     */
    public static final Duration WAIT = Duration.ofSeconds(25);

    private static final StepBoundaryStop PROCESS = new StepBoundaryStop();

    private boolean hooked;
    private boolean requested;
    private int training; // epochs in progress, up to their checkpoints (EpochLoop)
    private String outcome;

    private StepBoundaryStop() {
    }

    /** This process's stop, its shutdown hook installed on first use. */
    static StepBoundaryStop process() {
        synchronized (PROCESS) {
            if (!PROCESS.hooked) {
                PROCESS.hooked = true;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> PROCESS.onShutdown(System.err),
                        "poollab-step-boundary-stop"));
            }
        }
        return PROCESS;
    }

    /** Whether training should stop after the current step. */
    synchronized boolean requested() {
        return requested;
    }

    /**
     * Training that checkpoints when stopped starts: an epoch up to its checkpoint. Steps run elsewhere (the
     * benchmark) stop too, but write nothing, so the hook does not wait for them.
     */
    synchronized void enter() {
        training++;
    }

    /** That training ended (done, failed or stopped). */
    synchronized void leave() {
        training--;
        notifyAll();
    }

    /**
     * The stopped training saved its state.
     *
     * @param what says where, for the message the exiting process prints
     */
    synchronized void saved(String what) {
        outcome = what;
        notifyAll();
    }

    private void onShutdown(PrintStream err) {
        synchronized (this) {
            requested = true;
            if (training == 0) {
                return;
            }
            err.println("poollab: stopping after the step in flight to write a checkpoint (at most "
                    + WAIT.toSeconds() + " s)");
            long deadline = System.nanoTime() + WAIT.toNanos();
            try {
                // The loop says saved() before it leaves the epoch; leaving without it is a failure: stop waiting.
                while (outcome == null && training > 0 && System.nanoTime() < deadline) {
                    wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            err.println("poollab: " + (outcome != null ? outcome : "no checkpoint within " + WAIT.toSeconds()
                    + " s; the run continues from its newest checkpoint"));
        }
    }
}

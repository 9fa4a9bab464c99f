package org.poollab.schedule;

/**
 * A value per global step, computed up front (as DINO's {@code cosine_scheduler}) and indexed by step.
 */
public final class Schedule {

    private final double[] values;

    private Schedule(double[] values) {
        this.values = values;
    }

    /**
     * Linear warm-up from 0 to {@code peak} over {@code warmupSteps}, then a half cosine from {@code peak} to
     * {@code end} over the remaining steps.
     */
    public static Schedule cosineWithWarmup(double peak, double end, int totalSteps, int warmupSteps) {
        double[] values = new double[totalSteps];
        int warmup = Math.min(warmupSteps, totalSteps);
        for (int i = 0; i < warmup; i++) {
            values[i] = peak * i / warmup;
        }
        int decay = totalSteps - warmup;
        for (int i = 0; i < decay; i++) {
            values[warmup + i] = end + 0.5 * (peak - end) * (1 + Math.cos(Math.PI * i / decay));
        }
        return new Schedule(values);
    }

    /** A half cosine from {@code start} to {@code end} over {@code totalSteps} (no warm-up). */
    public static Schedule cosine(double start, double end, int totalSteps) {
        return cosineWithWarmup(start, end, totalSteps, 0);
    }

    /** Linear from {@code start} to {@code end} over {@code warmupSteps}, then {@code end} (DINO's tau_t). */
    public static Schedule linearThenConstant(double start, double end, int warmupSteps, int totalSteps) {
        double[] values = new double[totalSteps];
        for (int i = 0; i < totalSteps; i++) {
            values[i] = i < warmupSteps ? start + (end - start) * i / warmupSteps : end;
        }
        return new Schedule(values);
    }

    /** The value at {@code step}; steps past the end keep the last value. */
    public double at(int step) {
        return values[Math.min(step, values.length - 1)];
    }

    /** Number of steps. */
    public int length() {
        return values.length;
    }
}

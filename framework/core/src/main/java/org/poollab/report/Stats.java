package org.poollab.report;

import java.util.Arrays;
import java.util.List;

/**
 * Mean and sample standard deviation of the finite values of a list.
 *
 * @param count finite values
 * @param mean their mean (NaN when there are none)
 * @param deviation their sample standard deviation (0 for one value)
 */
record Stats(int count, double mean, double deviation) {

    static Stats of(List<Double> values) {
        double[] finite = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
        if (finite.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(finite).average().orElseThrow();
        double squares = Arrays.stream(finite).map(v -> (v - mean) * (v - mean)).sum();
        return new Stats(finite.length, mean, finite.length > 1 ? Math.sqrt(squares / (finite.length - 1)) : 0);
    }
}

package org.poollab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One run's k-NN scores after one evaluated epoch, read from the metric histories (evaluations are logged with
 * the epoch as step).
 *
 * @param run the run
 * @param epoch the epoch after which it was evaluated
 * @param metrics metric name to value; a metric not logged at this epoch is absent
 */
record EpochScores(RunSummary run, long epoch, Map<String, Double> metrics) {

    /**
     * Every evaluation of every run, runs in the given order and epochs ascending.
     *
     * @param columns the metrics to read, e.g. {@code knn_top1_k20}
     */
    static List<EpochScores> read(ExperimentRuns source, List<RunSummary> runs, List<String> columns) {
        List<EpochScores> rows = new ArrayList<>();
        for (RunSummary run : runs) {
            TreeMap<Long, Map<String, Double>> byEpoch = new TreeMap<>();
            for (String column : columns) {
                for (double[] point : source.history(run.runId(), column)) {
                    byEpoch.computeIfAbsent((long) point[0], epoch -> new LinkedHashMap<>()).put(column, point[1]);
                }
            }
            byEpoch.forEach((epoch, metrics) -> rows.add(new EpochScores(run, epoch, metrics)));
        }
        return rows;
    }

    /** Whether some run was evaluated more than once, so that the scores form a curve worth a table. */
    static boolean anyRunHasSeveral(List<EpochScores> rows) {
        return rows.stream().map(row -> row.run().runId()).distinct().count() < rows.size();
    }

    /** A metric, or NaN when it was not logged at this epoch. */
    double metric(String key) {
        return metrics.getOrDefault(key, Double.NaN);
    }
}

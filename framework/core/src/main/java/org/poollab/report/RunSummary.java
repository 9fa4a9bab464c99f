package org.poollab.report;

import java.util.Map;

/**
 * One MLflow run as the report shows it.
 *
 * @param runId the run id
 * @param name the run name
 * @param status FINISHED, FAILED, KILLED or RUNNING
 * @param params the logged params ({@code pooling.id}, {@code seed}, ...)
 * @param tags the logged tags
 * @param metrics the latest value of every metric
 * @param seconds wall time from start to end (or to now while running)
 * @param url the run's page in the MLflow UI
 * @param artifactUri the run's artifact root
 */
record RunSummary(String runId, String name, String status, Map<String, String> params, Map<String, String> tags,
                  Map<String, Double> metrics, double seconds, String url, String artifactUri) {

    /** The tag only sweep parent runs carry. */
    static final String SWEEP_TAG = "sweep.runs";

    String pooling() {
        return params.getOrDefault("pooling.id", "?");
    }

    String backbone() {
        return params.getOrDefault("backbone.id", "?");
    }

    String trainer() {
        return params.getOrDefault("trainer.id", tags.getOrDefault("trainer", "?"));
    }

    String seed() {
        return params.getOrDefault("seed", "?");
    }

    /** Runs that differ only by seed share this key. */
    String group() {
        return pooling() + " / " + backbone() + " / " + trainer();
    }

    boolean isSweepParent() {
        return tags.containsKey(SWEEP_TAG);
    }

    /** A metric, or NaN when the run did not log it. */
    double metric(String key) {
        return metrics.getOrDefault(key, Double.NaN);
    }
}

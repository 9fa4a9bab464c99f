package org.poollab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.poollab.tracking.RunSearch;
import org.poollab.tracking.TrackingException;

/** Reads an experiment's runs and metric histories from an MLflow server over its REST API. */
final class ExperimentRuns implements AutoCloseable {

    private final MlflowClient client;
    private final String trackingUri;

    ExperimentRuns(String trackingUri) {
        this.trackingUri = trackingUri;
        this.client = new MlflowClient(trackingUri);
    }

    /**
     * The experiment's runs that match an MLflow search filter, oldest first.
     *
     * @param filter an MLflow filter such as {@code params.seed = '0'}, or empty for every run
     * @throws TrackingException if the server has no such experiment or refuses the filter
     */
    List<RunSummary> runs(String experiment, String filter) {
        String byName = "name = '" + experiment.replace("'", "\\'") + "'";
        String experimentId = client.searchExperiments(byName).getItems().stream().findFirst()
                .map(e -> e.getExperimentId()).orElseThrow(() -> new TrackingException("MLflow at " + trackingUri
                        + " has no experiment '" + experiment + "'; the name is the 'experiment:' key of the YAML "
                        + "file (see the MLflow UI for the names it holds)"));
        List<RunSummary> runs = new ArrayList<>();
        try {
            for (Run run : RunSearch.all(client, experimentId, filter)) {
                runs.add(summary(experimentId, run));
            }
        } catch (MlflowClientException e) {
            throw new TrackingException("searching the runs of '" + experiment + "'" + (filter.isEmpty() ? ""
                    : " with filter \"" + filter + "\"") + " in MLflow at " + trackingUri + " failed: "
                    + e.getMessage() + " (filter syntax: https://mlflow.org/docs/latest/search-runs.html)", e);
        }
        return runs;
    }

    /** A metric's history as {@code [step, value]} pairs in step order. */
    List<double[]> history(String runId, String key) {
        List<double[]> points = new ArrayList<>();
        for (Metric metric : client.getMetricHistory(runId, key)) {
            points.add(new double[] {metric.getStep(), metric.getValue()});
        }
        points.sort((a, b) -> Double.compare(a[0], b[0]));
        return points;
    }

    private RunSummary summary(String experimentId, Run run) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Param param : run.getData().getParamsList()) {
            params.put(param.getKey(), param.getValue());
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (RunTag tag : run.getData().getTagsList()) {
            tags.put(tag.getKey(), tag.getValue());
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Metric metric : run.getData().getMetricsList()) {
            metrics.put(metric.getKey(), metric.getValue());
        }
        long end = run.getInfo().getEndTime() > 0 ? run.getInfo().getEndTime() : System.currentTimeMillis();
        String url = trackingUri.replaceAll("/+$", "") + "/#/experiments/" + experimentId + "/runs/"
                + run.getInfo().getRunId();
        return new RunSummary(run.getInfo().getRunId(), run.getInfo().getRunName(), run.getInfo().getStatus().name(),
                params, tags, metrics, (end - run.getInfo().getStartTime()) / 1000.0, url,
                run.getInfo().getArtifactUri());
    }

    @Override
    public void close() {
        client.close();
    }
}

package org.poollab.tracking;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;

/** The child runs a sweep's parent run already has in MLflow, by grid point (tag {@value #POINT_TAG}). */
public final class SweepChildren {

    /** The tag on each child run: its 0-based point in the sweep's grid. */
    public static final String POINT_TAG = "sweep.point";

    /**
     * A child run.
     *
     * @param runId its id
     * @param status its status
     * @param metrics the latest value of each metric it logged
     */
    public record Child(String runId, RunStatus status, Map<String, Metric> metrics) {

        /** Copies the map. */
        public Child {
            metrics = Map.copyOf(metrics);
        }
    }

    /**
     * The latest value of a metric.
     *
     * @param value its value
     * @param step the step it was logged at (for epoch metrics, the epochs done)
     * @param timestamp when it was logged, in milliseconds since the epoch
     */
    public record Metric(double value, long step, long timestamp) {
    }

    private SweepChildren() {
    }

    /**
     * The newest child run of each point of the sweep.
     *
     * @throws TrackingException if the server does not answer or has no such parent run
     */
    public static Map<Integer, Child> of(String trackingUri, String parentRunId) {
        Map<Integer, Child> children = new HashMap<>();
        try (MlflowClient client = new MlflowClient(trackingUri)) {
            String experimentId = client.getRun(parentRunId).getInfo().getExperimentId();
            String filter = "tags.`" + MlflowRun.PARENT_TAG + "` = '" + parentRunId + "'";
            for (Run run : RunSearch.all(client, experimentId, filter)) { // oldest first: the newest wins
                Map<String, Metric> metrics = new HashMap<>();
                run.getData().getMetricsList().forEach(metric -> metrics.put(metric.getKey(),
                        new Metric(metric.getValue(), metric.getStep(), metric.getTimestamp())));
                point(run).ifPresent(index -> children.put(index,
                        new Child(run.getInfo().getRunId(), run.getInfo().getStatus(), metrics)));
            }
            return children;
        } catch (MlflowClientException e) {
            throw new TrackingException("MLflow at " + trackingUri + " cannot list the runs of sweep " + parentRunId
                    + " (" + e.getMessage() + "); point MLFLOW_TRACKING_URI at the server the sweep was logged to", e);
        }
    }

    private static Optional<Integer> point(Run run) {
        return run.getData().getTagsList().stream().filter(tag -> tag.getKey().equals(POINT_TAG))
                .map(RunTag::getValue).filter(value -> value.matches("\\d+")).map(Integer::valueOf).findFirst();
    }
}

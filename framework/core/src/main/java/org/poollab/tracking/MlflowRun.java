package org.poollab.tracking;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.poollab.train.TrainingObserver;

/** One MLflow run: params, tags, step metrics, evaluation metrics, artifacts and the final status. */
public final class MlflowRun implements TrainingObserver, AutoCloseable {

    /** The tag that nests a run under its parent in the MLflow UI. */
    public static final String PARENT_TAG = "mlflow.parentRunId";

    private static final int RETRIES = 3;

    /** MLflow's limit of params per log-batch request. */
    private static final int BATCH = 100;

    private final MlflowClient client;
    private final String trackingUri;
    private final String experimentId;
    private final RunInfo info;
    private final Thread killedOnExit;
    private boolean ended;

    private MlflowRun(MlflowClient client, String trackingUri, String experimentId, RunInfo info) {
        this.client = client;
        this.trackingUri = trackingUri;
        this.experimentId = experimentId;
        this.info = info;
        // Ctrl-C or a kill ends the JVM without finish() or fail(): leave the run KILLED, not RUNNING forever.
        this.killedOnExit = new Thread(this::killed, "poollab-mlflow-killed");
        Runtime.getRuntime().addShutdownHook(killedOnExit);
    }

    /**
     * Creates the experiment if needed and starts a run in it.
     *
     * @param parentRunId the sweep's parent run, or {@code null}
     * @throws TrackingException if the server is not reachable
     */
    public static MlflowRun start(String trackingUri, String experiment, String runName, String parentRunId) {
        if (!MlflowHttp.healthy(trackingUri)) {
            throw new TrackingException("the MLflow server at " + trackingUri + " does not answer on /health; "
                    + "start it, fix tracking.uri / MLFLOW_TRACKING_URI, or unset both to use a local server");
        }
        MlflowClient client = new MlflowClient(trackingUri);
        try {
            // A search, not getExperimentByName: the latter retries its expected 404 with back-off.
            String filter = "name = '" + experiment.replace("'", "\\'") + "'";
            String experimentId = client.searchExperiments(filter).getItems().stream().findFirst()
                    .map(e -> e.getExperimentId()).orElseGet(() -> client.createExperiment(experiment));
            CreateRun.Builder request = CreateRun.newBuilder().setExperimentId(experimentId).setRunName(runName)
                    .setStartTime(System.currentTimeMillis());
            if (parentRunId != null) {
                request.addTags(RunTag.newBuilder().setKey(PARENT_TAG).setValue(parentRunId));
            }
            RunInfo info = client.createRun(request.build());
            return new MlflowRun(client, trackingUri, experimentId, info);
        } catch (MlflowClientException e) {
            throw new TrackingException("MLflow at " + trackingUri + " refused to create the run: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Reopens a run that did not finish (to resume it from a checkpoint): its status goes back to RUNNING and it
     * keeps its id, params and metric history.
     *
     * @throws TrackingException if the server is not reachable, the run does not exist or it already finished
     */
    public static MlflowRun resume(String trackingUri, String runId) {
        if (!MlflowHttp.healthy(trackingUri)) {
            throw new TrackingException("the MLflow server at " + trackingUri + " does not answer on /health; "
                    + "start the server that holds run " + runId + " (or set MLFLOW_TRACKING_URI to it)");
        }
        MlflowClient client = new MlflowClient(trackingUri);
        RunInfo info;
        try {
            info = client.getRun(runId).getInfo();
        } catch (MlflowClientException e) {
            client.close();
            throw new TrackingException("MLflow at " + trackingUri + " has no run " + runId + " to resume ("
                    + e.getMessage() + "); point MLFLOW_TRACKING_URI at the server the run was logged to", e);
        }
        if (info.getStatus() == RunStatus.FINISHED) {
            client.close();
            throw new TrackingException("run " + runId + " already FINISHED; there is nothing to resume");
        }
        MlflowHttp.post(trackingUri, "/api/2.0/mlflow/runs/update",
                "{\"run_id\": \"" + runId + "\", \"status\": \"RUNNING\"}");
        return new MlflowRun(client, trackingUri, info.getExperimentId(), info);
    }

    /** The run id. */
    public String runId() {
        return info.getRunId();
    }

    /** The run's page in the MLflow UI. */
    public String url() {
        return MlflowHttp.strip(trackingUri) + "/#/experiments/" + experimentId + "/runs/" + runId();
    }

    /** Logs params (values truncated to MLflow's 6000-character limit). */
    public void logParams(Map<String, String> params) {
        List<Param> batch = new ArrayList<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            String value = e.getValue().length() > 6000 ? e.getValue().substring(0, 6000) : e.getValue();
            batch.add(Param.newBuilder().setKey(e.getKey()).setValue(value).build());
            if (batch.size() == BATCH) {
                List<Param> full = List.copyOf(batch);
                retrying("log params", () -> client.logBatch(runId(), List.of(), full, List.of()));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            retrying("log params", () -> client.logBatch(runId(), List.of(), batch, List.of()));
        }
    }

    /** Sets tags. */
    public void setTags(Map<String, String> tags) {
        List<RunTag> list = new ArrayList<>();
        tags.forEach((k, v) -> list.add(RunTag.newBuilder().setKey(k).setValue(v).build()));
        retrying("set tags", () -> client.logBatch(runId(), List.of(), List.of(), list));
    }

    /** Logs metrics at {@code step}. */
    public void logMetrics(int step, Map<String, Double> metrics) {
        long now = System.currentTimeMillis();
        List<Metric> list = new ArrayList<>();
        metrics.forEach((k, v) -> list.add(Metric.newBuilder().setKey(k).setValue(v).setStep(step)
                .setTimestamp(now).build()));
        retrying("log metrics at step " + step, () -> client.logBatch(runId(), list, List.of(), List.of()));
    }

    @Override
    public void onStep(int step, Map<String, Double> metrics) {
        logMetrics(step, metrics);
    }

    @Override
    public void onEvaluation(int epoch, Map<String, Double> metrics) {
        logMetrics(epoch, metrics);
    }

    /** Uploads a file as {@code artifactPath} in the run's artifacts. */
    public void logArtifact(Path file, String artifactPath) {
        MlflowHttp.upload(trackingUri, info.getArtifactUri(), artifactPath, file);
    }

    @Override
    public void onArtifact(Path file, String artifactPath) {
        logArtifact(file, artifactPath);
    }

    /** Marks the run FINISHED. */
    public void finish() {
        markEnded();
        retrying("finish the run", () -> client.setTerminated(runId(), RunStatus.FINISHED,
                System.currentTimeMillis()));
    }

    /** Marks the run FAILED and records why. */
    public void fail(String error) {
        markEnded();
        terminate(RunStatus.FAILED, error);
    }

    private void terminate(RunStatus status, String error) {
        String message = error.length() > 5000 ? error.substring(0, 5000) : error;
        retrying("tag the error", () -> client.setTag(runId(), "error", message));
        retrying("end the run", () -> client.setTerminated(runId(), status, System.currentTimeMillis()));
    }

    /**
     * Runs a tracking call, retrying twice: the local server closes idle keep-alive connections, and the client's
     * next request on such a connection fails with NoHttpResponseException (seen in CI).
     *
     * @throws TrackingException naming the call when the server keeps failing
     */
    private void retrying(String what, Runnable call) {
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                return;
            } catch (MlflowClientException e) {
                if (attempt == RETRIES) {
                    throw new TrackingException("MLflow at " + trackingUri + " failed to " + what + " after "
                            + RETRIES + " attempts: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(250L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new TrackingException("interrupted while retrying to " + what, e);
                }
            }
        }
    }

    /** @return whether this call ended the run (false if it had ended before) */
    private synchronized boolean markEnded() {
        if (ended) {
            return false;
        }
        ended = true;
        try {
            Runtime.getRuntime().removeShutdownHook(killedOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting and the hook is running; it finds the run ended and does nothing
        }
        return true;
    }

    private void killed() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        try {
            terminate(RunStatus.KILLED, "the process was stopped before the run ended");
        } catch (RuntimeException serverGone) {
            // nothing more can be recorded
        }
    }

    /** Ends a run that got no status (an error before training started) as FAILED, then releases the client. */
    @Override
    public void close() {
        if (markEnded()) {
            terminate(RunStatus.FAILED, "the run ended without a status");
        }
        client.close();
    }
}

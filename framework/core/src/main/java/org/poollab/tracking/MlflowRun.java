package org.poollab.tracking;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.poollab.train.TrainingObserver;

/**
 * One MLflow run: params, tags, step metrics, evaluation metrics, artifacts and the final status. Creating (or
 * reopening) the run needs the server; everything after that goes through a {@link TrackingJournal}, so a server
 * that goes away mid-run delays the tracking calls instead of losing them or stopping the training.
 */
public final class MlflowRun implements TrainingObserver, AutoCloseable {

    /** The tag holding why a run failed or was killed. */
    public static final String ERROR_TAG = "error";

    /** The tag that nests a run under its parent in the MLflow UI. */
    public static final String PARENT_TAG = "mlflow.parentRunId";

    /** MLflow's limits on one log-batch request: 100 params or tags, 1000 metrics. */
    private static final int BATCH = 100;
    private static final int METRICS_PER_BATCH = 1000;
    private static final String LOG_BATCH = "/api/2.0/mlflow/runs/log-batch";
    private static final String UPDATE = "/api/2.0/mlflow/runs/update";
    /** How long the end of a run waits for the journal to reach a server that is away. */
    private static final Duration END_WAIT = Duration.ofMinutes(5);
    /** How long a run stopped by a signal waits (the JVM is exiting). */
    private static final Duration KILLED_WAIT = Duration.ofSeconds(5);

    private final String trackingUri;
    private final String experimentId;
    private final RunInfo info;
    private final TrackingJournal journal;
    private final PrintStream warnings;
    private final Thread killedOnExit;
    private volatile String stopHint; // read by the shutdown hook
    private boolean ended;

    private MlflowRun(String trackingUri, String experimentId, RunInfo info, Path journalFolder) {
        this.trackingUri = trackingUri;
        this.experimentId = experimentId;
        this.info = info;
        this.warnings = System.err;
        this.stopHint = "If it wrote a checkpoint, './poollab resume " + info.getRunId() + "' continues it from the "
                + "newest one.";
        this.journal = new TrackingJournal(journalFolder, info.getRunId(), trackingUri, info.getArtifactUri(),
                warnings);
        // Ctrl-C or a kill ends the JVM without finish() or fail(): leave the run KILLED, not RUNNING forever.
        this.killedOnExit = new Thread(this::killed, "poollab-mlflow-killed");
        Runtime.getRuntime().addShutdownHook(killedOnExit);
    }

    /**
     * Creates the experiment if needed and starts a run in it.
     *
     * @param startTags tags the run is created with (such as {@link #PARENT_TAG}), visible to searches at once
     * @param journalFolder where the run's tracking journal is written
     * @throws TrackingException if the server is not reachable
     */
    public static MlflowRun start(String trackingUri, String experiment, String runName,
                                  Map<String, String> startTags, Path journalFolder) {
        requireHealthy(trackingUri, "start it, fix tracking.uri / MLFLOW_TRACKING_URI, or unset both to use a "
                + "local server");
        try (MlflowClient client = new MlflowClient(trackingUri)) {
            String experimentId = experimentId(client, experiment);
            CreateRun.Builder request = CreateRun.newBuilder().setExperimentId(experimentId).setRunName(runName)
                    .setStartTime(System.currentTimeMillis());
            startTags.forEach((key, value) -> request.addTags(RunTag.newBuilder().setKey(key).setValue(value)));
            return new MlflowRun(trackingUri, experimentId, client.createRun(request.build()), journalFolder);
        } catch (MlflowClientException e) {
            throw new TrackingException("MLflow at " + trackingUri + " refused to create the run: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The id of {@code experiment}, created if it does not exist. Runs started together race to create it: when
     * another process created it between this one's search and its create, the create fails and the search finds it.
     */
    private static String experimentId(MlflowClient client, String experiment) {
        // A search, not getExperimentByName: the latter retries its expected 404 with back-off.
        String filter = "name = '" + experiment.replace("'", "\\'") + "'";
        Optional<String> found = client.searchExperiments(filter).getItems().stream().findFirst()
                .map(e -> e.getExperimentId());
        if (found.isPresent()) {
            return found.get();
        }
        try {
            return client.createExperiment(experiment);
        } catch (MlflowClientException e) {
            return client.searchExperiments(filter).getItems().stream().findFirst().map(x -> x.getExperimentId())
                    .orElseThrow(() -> e);
        }
    }

    /**
     * Reopens a run that did not finish (to resume it from a checkpoint): its status goes back to RUNNING and it
     * keeps its id, params and metric history; tracking calls an earlier attempt left unsent go first.
     *
     * @param journalFolder where the run's tracking journal is (and was) written
     * @throws TrackingException if the server is not reachable, the run does not exist or it already finished
     */
    public static MlflowRun resume(String trackingUri, String runId, Path journalFolder) {
        requireHealthy(trackingUri, "start the server that holds run " + runId + " (or set MLFLOW_TRACKING_URI to "
                + "it)");
        RunInfo info;
        try (MlflowClient client = new MlflowClient(trackingUri)) {
            info = client.getRun(runId).getInfo();
        } catch (MlflowClientException e) {
            throw new TrackingException("MLflow at " + trackingUri + " has no run " + runId + " to resume ("
                    + e.getMessage() + "); point MLFLOW_TRACKING_URI at the server the run was logged to", e);
        }
        if (info.getStatus() == RunStatus.FINISHED) {
            throw new TrackingException("run " + runId + " already FINISHED; there is nothing to resume");
        }
        MlflowRun run = new MlflowRun(trackingUri, info.getExperimentId(), info, journalFolder);
        run.journal.post(UPDATE, "{\"run_id\":" + Json.string(runId) + ",\"status\":\"RUNNING\"}");
        return run;
    }

    /**
     * Marks a run KILLED, with {@code reason} as its error tag, if MLflow still shows it RUNNING.
     *
     * @return whether it was marked; empty if the server cannot be asked now
     */
    public static Optional<Boolean> markKilledIfRunning(String trackingUri, String runId, String reason) {
        if (trackingUri == null || !MlflowHttp.healthy(trackingUri)) {
            return Optional.empty();
        }
        try (MlflowClient client = new MlflowClient(trackingUri)) {
            if (client.getRun(runId).getInfo().getStatus() != RunStatus.RUNNING) {
                return Optional.of(false);
            }
            client.setTag(runId, ERROR_TAG, reason);
            client.setTerminated(runId, RunStatus.KILLED, System.currentTimeMillis());
            return Optional.of(true);
        } catch (MlflowClientException e) {
            return Optional.empty();
        }
    }

    /**
     * Sends what the journals in a folder still hold (runs whose server was away when they ended).
     *
     * @return the number of calls that are still not sent
     * @throws TrackingException if the server is not reachable
     */
    public static long sendJournals(String trackingUri, Path journalFolder, PrintStream out)
            throws InterruptedException, IOException {
        requireHealthy(trackingUri, "start it (poollab mlflow) or set MLFLOW_TRACKING_URI to the server the runs "
                + "were logged to");
        long left = 0;
        List<Path> journals;
        try (Stream<Path> files = Files.isDirectory(journalFolder) ? Files.list(journalFolder) : Stream.empty()) {
            journals = files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
        for (Path file : journals) {
            String runId = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
            String artifactUri;
            try (MlflowClient client = new MlflowClient(trackingUri)) {
                artifactUri = client.getRun(runId).getInfo().getArtifactUri();
            } catch (MlflowClientException e) {
                out.println("skipped " + file + ": the server has no run " + runId);
                continue;
            }
            try (TrackingJournal journal = new TrackingJournal(journalFolder, runId, trackingUri, artifactUri, out)) {
                long unsent = journal.drain(END_WAIT);
                left += unsent;
                out.println(runId + ": " + (unsent == 0 ? "all tracking calls are in MLflow" : unsent + " not sent"));
            }
        }
        return left;
    }

    private static void requireHealthy(String trackingUri, String fix) {
        if (!MlflowHttp.healthy(trackingUri)) {
            throw new TrackingException("the MLflow server at " + trackingUri + " does not answer on /health; "
                    + fix);
        }
    }

    /** What the message printed when the process is stopped says about continuing the run. */
    public void setStopHint(String hint) {
        this.stopHint = hint;
    }

    /** The run id. */
    public String runId() {
        return info.getRunId();
    }

    /** The run's page in the MLflow UI. */
    public String url() {
        return MlflowHttp.strip(trackingUri) + "/#/experiments/" + experimentId + "/runs/" + runId();
    }

    /** Logs params (values truncated to MLflow's 6000-character limit), in batches of 100. */
    public void logParams(Map<String, String> params) {
        List<String> list = new ArrayList<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            String value = e.getValue().length() > 6000 ? e.getValue().substring(0, 6000) : e.getValue();
            list.add("{\"key\":" + Json.string(e.getKey()) + ",\"value\":" + Json.string(value) + "}");
        }
        logInBatches("params", list, BATCH);
    }

    /** Sets tags. */
    public void setTags(Map<String, String> tags) {
        List<String> list = new ArrayList<>();
        tags.forEach((k, v) -> list.add("{\"key\":" + Json.string(k) + ",\"value\":" + Json.string(v) + "}"));
        logInBatches("tags", list, BATCH);
    }

    /** Logs metrics at {@code step}. */
    public void logMetrics(int step, Map<String, Double> metrics) {
        long now = System.currentTimeMillis();
        List<String> list = new ArrayList<>();
        metrics.forEach((k, v) -> list.add("{\"key\":" + Json.string(k) + ",\"value\":" + Json.number(v)
                + ",\"timestamp\":" + now + ",\"step\":" + step + "}"));
        logInBatches("metrics", list, METRICS_PER_BATCH);
    }

    /** MLflow refuses a log-batch over its limit as a whole: split, never drop. */
    private void logInBatches(String field, List<String> entries, int size) {
        for (int start = 0; start < entries.size(); start += size) {
            logBatch(field, entries.subList(start, Math.min(entries.size(), start + size)));
        }
    }

    private void logBatch(String field, List<String> entries) {
        journal.post(LOG_BATCH, "{\"run_id\":" + Json.string(runId()) + ",\"" + field + "\":["
                + String.join(",", entries) + "]}");
    }

    @Override
    public void onStep(int step, Map<String, Double> metrics) {
        logMetrics(step, metrics);
    }

    @Override
    public void onEpochMetrics(int epoch, Map<String, Double> metrics) {
        logMetrics(epoch, metrics);
    }

    /**
     * Uploads a file as {@code artifactPath} in the run's artifacts (sent in the background; the file must stay).
     *
     * @throws TrackingException if the path would leave the run's artifact folder
     */
    public void logArtifact(Path file, String artifactPath) {
        journal.upload(file, artifactPath);
    }

    @Override
    public void onArtifact(Path file, String artifactPath) {
        logArtifact(file, artifactPath);
    }

    /** Marks the run FINISHED once every journalled call has reached the server. */
    public void finish() {
        markEnded();
        end(RunStatus.FINISHED, null, END_WAIT);
    }

    /** Marks the run FAILED and records why (tag {@code error}). */
    public void fail(String error) {
        markEnded();
        end(RunStatus.FAILED, error, END_WAIT);
    }

    /**
     * Marks the run KILLED, with {@code reason} as its error tag, unless it already ended (the shutdown hook of a
     * process that is ending may have marked it first).
     */
    public void killed(String reason) {
        if (markEnded()) {
            end(RunStatus.KILLED, reason, KILLED_WAIT);
        }
    }

    /**
     * Leaves the run RUNNING for other processes to continue and end (the tasks of a sweep's Slurm job array):
     * sends what is journalled, and no status, now or when this JVM exits.
     */
    public void handOver() {
        markEnded();
        send(END_WAIT);
    }

    private void end(RunStatus status, String error, Duration wait) {
        if (error != null) {
            String message = error.length() > 5000 ? error.substring(0, 5000) : error;
            journal.post("/api/2.0/mlflow/runs/set-tag", "{\"run_id\":" + Json.string(runId())
                    + ",\"key\":\"" + ERROR_TAG + "\",\"value\":" + Json.string(message) + "}");
        }
        journal.post(UPDATE, "{\"run_id\":" + Json.string(runId()) + ",\"status\":\"" + status.name()
                + "\",\"end_time\":" + System.currentTimeMillis() + "}");
        send(wait);
    }

    private void send(Duration wait) {
        try {
            long unsent = journal.drain(wait);
            if (unsent > 0) {
                warnings.println("poollab: MLflow at " + trackingUri + " did not take " + unsent + " tracking calls "
                        + "of run " + runId() + " within " + wait.toSeconds() + " s; nothing is lost: they are in "
                        + journal.file() + " and 'poollab mlflow sync' sends them once the server is back");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        warnings.println("poollab: stopped; MLflow run " + runId() + " is marked KILLED. " + stopHint);
        end(RunStatus.KILLED, "the process was stopped before the run ended", KILLED_WAIT);
    }

    /** Ends a run that got no status (an error before training started) as FAILED, then stops the journal. */
    @Override
    public void close() {
        if (markEnded()) {
            end(RunStatus.FAILED, "the run ended without a status", END_WAIT);
        }
        journal.close();
    }
}

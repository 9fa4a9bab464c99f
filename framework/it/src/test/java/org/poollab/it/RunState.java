package org.poollab.it;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.poollab.tracking.MlflowHttp;

/** A run's status as the MLflow server holds it. */
final class RunState {

    private static final Pattern STATUS = Pattern.compile("\"status\":\\s*\"([A-Z]+)\"");

    private RunState() {
    }

    /** RUNNING, FINISHED, FAILED, KILLED, ... or "?" if the answer has none. */
    static String of(String uri, String runId) {
        Matcher m = STATUS.matcher(MlflowHttp.get(uri, "/api/2.0/mlflow/runs/get?run_id=" + runId));
        return m.find() ? m.group(1) : "?";
    }
}

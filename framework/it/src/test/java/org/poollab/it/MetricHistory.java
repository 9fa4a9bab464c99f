package org.poollab.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.poollab.tracking.MlflowHttp;

/** A run's metric history as the MLflow server holds it. */
final class MetricHistory {

    private MetricHistory() {
    }

    /** The metric's values in step order. */
    static List<Double> of(String uri, String runId, String metric) {
        String json = MlflowHttp.get(uri, "/api/2.0/mlflow/metrics/get-history?run_id=" + runId
                + "&metric_key=" + metric + "&max_results=10000");
        List<long[]> steps = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        Matcher m = Pattern.compile("\"value\":\\s*([-0-9.eE+]+)[^}]*?\"step\":\\s*\"?([0-9]+)").matcher(json);
        while (m.find()) {
            steps.add(new long[] {Long.parseLong(m.group(2)), values.size()});
            values.add(Double.parseDouble(m.group(1)));
        }
        steps.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Double> ordered = new ArrayList<>();
        steps.forEach(s -> ordered.add(values.get((int) s[1])));
        return ordered;
    }
}

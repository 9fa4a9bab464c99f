package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.poollab.tracking.MlflowHttp;
import org.poollab.tracking.MlflowRun;

class MlflowTrackingIT {

    @RegisterExtension
    static final MlflowServerExtension SERVER = new MlflowServerExtension();

    @TempDir
    Path dir;

    @Test
    void runParamsTagsMetricsAndArtifactsAreReadBackOverRest() throws IOException {
        Path yaml = dir.resolve("exp.yaml");
        Files.writeString(yaml, "experiment: it\n");
        String runId;
        try (MlflowRun run = MlflowRun.start(SERVER.uri(), "it-tracking", "r1", Map.of(), dir.resolve("journal"))) {
            runId = run.runId();
            run.logParams(Map.of("pooling.id", "simpool", "trainer.epochs", "2"));
            run.setTags(Map.of("plugin.pooling", "simpool@0.1.0"));
            run.logMetrics(1, Map.of("loss", 2.5));
            run.logMetrics(2, Map.of("loss", 1.5));
            run.logArtifact(yaml, "config/exp.yaml");
            run.finish();
        }
        String json = MlflowHttp.get(SERVER.uri(), "/api/2.0/mlflow/runs/get?run_id=" + runId);
        assertTrue(json.contains("\"FINISHED\""), json);
        assertTrue(json.contains("\"pooling.id\"") && json.contains("\"simpool\""), json);
        assertTrue(json.contains("\"plugin.pooling\""), json);
        String history = MlflowHttp.get(SERVER.uri(),
                "/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=loss");
        assertTrue(history.contains("\"step\": 1") || history.contains("\"step\":1"), history);
        assertTrue(history.contains("1.5"), history);
        String artifacts = MlflowHttp.get(SERVER.uri(), "/api/2.0/mlflow/artifacts/list?run_id=" + runId
                + "&path=config");
        assertTrue(artifacts.contains("config/exp.yaml"), artifacts);
    }

    @Test
    void moreMetricsAtOneStepThanMlflowTakesInOneRequestAllArrive() throws IOException {
        Map<String, Double> many = new java.util.LinkedHashMap<>();
        for (int k = 1; k <= 1200; k++) {
            many.put("knn_top1_k" + k, (double) k);
        }
        String runId;
        try (MlflowRun run = MlflowRun.start(SERVER.uri(), "it-tracking", "many", Map.of(), dir.resolve("journal"))) {
            runId = run.runId();
            run.logMetrics(1, many);
            run.finish();
        }
        for (int k : new int[] {1, 1000, 1001, 1200}) {
            String history = MlflowHttp.get(SERVER.uri(),
                    "/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=knn_top1_k" + k);
            assertTrue(history.contains("\"value\": " + k + ".0") || history.contains("\"value\":" + k + ".0"),
                    "k = " + k + ": " + history);
        }
    }
}

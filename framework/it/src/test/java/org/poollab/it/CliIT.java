package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.poollab.tracking.MlflowHttp;

/** The CLI as a user runs it: a separate JVM, the real plugins directory, a real MLflow server. */
class CliIT {

    @RegisterExtension
    static final MlflowServerExtension SERVER = new MlflowServerExtension();

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private Result cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx1g",
                "-Dorg.bytedeco.javacpp.maxbytes=2g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=3g", "-cp",
                Project.CORE.resolve("poollab-framework-0.1.0-SNAPSHOT.jar") + ":" + Project.CORE.resolve("lib/*"),
                "org.poollab.cli.PoolLab"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        builder.environment().put("POOLLAB_PLUGINS_DIR", Project.PLUGINS.toString());
        builder.environment().put("MLFLOW_TRACKING_URI", SERVER.uri());
        int code = builder.start().waitFor();
        return new Result(code, Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private Path experiment(String text) throws IOException {
        Path file = dir.resolve("exp.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void aTinyExperimentRunsEndToEndAboveChanceAndFinishesInMlflow() throws Exception {
        Path file = experiment("""
                experiment: it-e2e
                data: {trainSubset: 600, testSubset: 200}
                backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
                pooling: {id: simpool}
                trainer: {epochs: 1, batchSize: 50, logEvery: 4}
                eval: {batchSize: 200}
                """);
        Result result = cli("run", file.toString());
        assertEquals(0, result.code(), result.err());
        Matcher top1 = Pattern.compile("knn_top1_k20 = ([0-9.]+)").matcher(result.out());
        assertTrue(top1.find(), result.out());
        assertTrue(Double.parseDouble(top1.group(1)) > 30, "k-NN top-1 " + top1.group(1) + " is not above chance");
        Matcher url = Pattern.compile("runs/([0-9a-f]+)").matcher(result.out());
        assertTrue(url.find(), result.out());
        String run = MlflowHttp.get(SERVER.uri(), "/api/2.0/mlflow/runs/get?run_id=" + url.group(1));
        assertTrue(run.contains("\"FINISHED\""), run);
        assertTrue(run.contains("knn_top1_k20") && run.contains("\"loss\""), run);
    }

    @Test
    void malformedYamlIsABadInputWithoutStackTrace() throws Exception {
        assertBadInput(cli("run", experiment("experiment: [oops\n").toString()), "not valid YAML");
    }

    @Test
    void unknownPluginIdNamesTheFieldAndTheAvailableIds() throws Exception {
        Result result = cli("validate", experiment("experiment: e\npooling: {id: nosuch}\n").toString());
        assertBadInput(result, "pooling.id");
        assertTrue(result.err().contains("simpool"), result.err());
    }

    @Test
    void wrongParameterTypeNamesTheParameter() throws Exception {
        assertBadInput(cli("validate", experiment("experiment: e\npooling: {id: simpool, params: {heads: two}}\n")
                .toString()), "pooling.params.heads");
    }

    @Test
    void missingDataDirectoryNamesTheFolder() throws Exception {
        assertBadInput(cli("run", experiment("experiment: e\ndata: {path: /nonexistent/fmnist}\n").toString()),
                "/nonexistent/fmnist");
    }

    private static void assertBadInput(Result result, String mentioned) {
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains(mentioned), result.err());
        assertFalse(result.err().contains("\tat org."), "stack trace on the console: " + result.err());
    }
}

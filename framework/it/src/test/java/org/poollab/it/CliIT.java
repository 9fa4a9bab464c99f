package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;
import org.poollab.data.FashionMnist;
import org.poollab.data.ImageDataset;
import org.poollab.data.ImageFolderWriter;
import org.poollab.hash.Sha256;
import org.poollab.tracking.MlflowHttp;

/** The CLI as a user runs it (see {@link Cli}), against a real MLflow server. */
class CliIT {

    @RegisterExtension
    static final MlflowServerExtension SERVER = new MlflowServerExtension();

    @TempDir
    Path dir;

    private Cli.Result cli(String... args) throws IOException, InterruptedException {
        return new Cli(dir, SERVER.uri()).run(args);
    }

    private Path experiment(String text) throws IOException {
        return new Cli(dir, SERVER.uri()).experiment(text);
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
        Cli.Result result = cli("run", file.toString());
        assertEquals(0, result.code(), result.err());
        Matcher top1 = Pattern.compile("knn_top1_k20 = ([0-9.]+)").matcher(result.out());
        assertTrue(top1.find(), result.out());
        assertTrue(Double.parseDouble(top1.group(1)) > 30, "k-NN top-1 " + top1.group(1) + " is not above chance");
        Matcher jaccard = Pattern.compile("attention_jaccard = ([0-9.]+)").matcher(result.out());
        assertTrue(jaccard.find(), "SimPool has a map, so its quality is reported: " + result.out());
        assertTrue(Double.parseDouble(jaccard.group(1)) > 0 && Double.parseDouble(jaccard.group(1)) <= 100);
        Matcher url = Pattern.compile("runs/([0-9a-f]+)").matcher(result.out());
        assertTrue(url.find(), result.out());
        String run = MlflowHttp.get(SERVER.uri(), "/api/2.0/mlflow/runs/get?run_id=" + url.group(1));
        assertTrue(run.contains("\"FINISHED\""), run);
        assertTrue(run.contains("knn_top1_k20") && run.contains("\"loss\""), run);
        Matcher minutes = Pattern.compile("\"key\":\\s*\"epoch_minutes\",\\s*\"value\":\\s*([0-9.eE-]+)").matcher(run);
        assertTrue(minutes.find() && Double.parseDouble(minutes.group(1)) > 0
                && Double.parseDouble(minutes.group(1)) < 30, "the epoch's wall time is logged: " + run);
        Matcher peak = Pattern.compile("peak_rss_gb = ([0-9.]+)").matcher(result.out());
        assertTrue(peak.find() && run.contains("peak_rss_gb"), "no peak memory: " + result.out());
        assertTrue(Double.parseDouble(peak.group(1)) > 0.2 && Double.parseDouble(peak.group(1)) < 4,
                "peak RSS " + peak.group(1) + " GB is outside what a tiny run under a 3 GB cap can hold");
        String artifacts = MlflowHttp.get(SERVER.uri(), "/api/2.0/mlflow/artifacts/list?run_id=" + url.group(1)
                + "&path=attention");
        assertTrue(artifacts.contains("attention-grid.png"), "no attention grid with the run: " + artifacts);
    }

    @Test
    void anImageFolderOfRealImagesTrainsAboveChance() throws Exception {
        ImageDataset train = FashionMnist.train(Path.of("/usr/share/datasets/fashion-mnist")).subset(600, 0);
        ImageDataset test = FashionMnist.test(Path.of("/usr/share/datasets/fashion-mnist")).subset(200, 1);
        Path images = dir.resolve("images");
        ImageFolderWriter writer = new ImageFolderWriter(images, FashionMnist.CLASS_NAMES);
        writer.write("train", train);
        writer.write("val", test);
        Path file = experiment("""
                experiment: it-imagefolder
                data: {dataset: imagefolder, path: %s, imageSize: 28}
                backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
                pooling: {id: simpool}
                trainer: {epochs: 1, batchSize: 50}
                eval: {batchSize: 200}
                """.formatted(images));
        Cli.Result result = cli("run", file.toString());
        assertEquals(0, result.code(), result.err());
        Matcher top1 = Pattern.compile("knn_top1_k20 = ([0-9.]+)").matcher(result.out());
        assertTrue(top1.find(), result.out());
        assertTrue(Double.parseDouble(top1.group(1)) > 30, "k-NN top-1 " + top1.group(1) + " is not above chance");
        assertFalse(result.out().contains("attention_jaccard"), "an image folder has no object masks to score");
    }

    @Test
    void aSweepRunsEachPointAsAChildOfOneParentRun() throws Exception {
        Path file = experiment("""
                experiment: it-sweep
                data: {trainSubset: 200, testSubset: 100}
                backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
                trainer: {epochs: 1, batchSize: 50}
                eval: {batchSize: 100, knn: {k: [10]}}
                sweep: {pooling.id: [gap, max]}
                """);
        Cli.Result result = cli("run", file.toString());
        assertEquals(0, result.code(), result.err());
        Matcher parent = Pattern.compile("MLflow sweep: .*runs/([0-9a-f]+)").matcher(result.out());
        assertTrue(parent.find(), result.out());
        Matcher child = Pattern.compile("MLflow run: .*runs/([0-9a-f]+)").matcher(result.out());
        int children = 0;
        while (child.find()) {
            String run = MlflowHttp.get(SERVER.uri(), "/api/2.0/mlflow/runs/get?run_id=" + child.group(1));
            assertTrue(run.contains("mlflow.parentRunId") && run.contains(parent.group(1)), run);
            assertTrue(run.contains("\"FINISHED\""), run);
            children++;
        }
        assertEquals(2, children, result.out());
        String parentRun = MlflowHttp.get(SERVER.uri(), "/api/2.0/mlflow/runs/get?run_id=" + parent.group(1));
        assertTrue(parentRun.contains("sweep.pooling.id") && parentRun.contains("\"FINISHED\""), parentRun);
    }

    @Test
    void aParallelSweepRunsItsPointsInSeparateJvmsAndRecordsTheFailedOne() throws Exception {
        Cli cli = new Cli(dir, SERVER.uri());
        Path file = cli.experiment("""
                experiment: it-parallel-sweep
                data: {trainSubset: 640, testSubset: 100}
                backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
                pooling: {id: gem}
                trainer: {epochs: 2, batchSize: 64, optimizer: {warmupFraction: 0, clipGrad: 0}}
                eval: {batchSize: 100, knn: {k: [10]}}
                sweep:
                  trainer.optimizer.lr: [1.0e-3, 10]
                  where: [{match: {trainer.optimizer.lr: 10}, set: {pooling.params.p: 100}}]
                """); // the second point diverges as in aDivergingRun... below
        Cli.Result result = cli.run("run", file.toString(), "--workers", "2");
        assertEquals(1, result.code(), result.out() + result.err());
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        assertTrue(result.out().contains("2 at a time with " + threads + " thread(s) each"), result.out());
        assertTrue(result.err().contains("1 of 2 sweep runs failed") && result.err().contains("the loss became"),
                result.err());
        try (MlflowClient client = new MlflowClient(SERVER.uri())) {
            String experimentId = client.getExperimentByName("it-parallel-sweep").orElseThrow().getExperimentId();
            List<Run> runs = client.listRunInfos(experimentId).stream().map(info -> client.getRun(info.getRunId()))
                    .toList();
            assertEquals(3, runs.size());
            Run parent = runs.stream().filter(run -> tag(run, "mlflow.parentRunId").isEmpty()).findFirst()
                    .orElseThrow();
            assertEquals(RunStatus.FAILED, parent.getInfo().getStatus());
            assertTrue(tag(parent, "git.commit").isPresent() && tag(parent, "nd4j.natives").isPresent(),
                    "the sweep carries the same environment tags as its runs: " + parent);
            String gemJar = Sha256.of(Project.PLUGINS.resolve("gem.jar"));
            List<RunStatus> children = new ArrayList<>();
            for (Run run : runs) {
                if (run != parent) {
                    assertEquals(parent.getInfo().getRunId(), tag(run, "mlflow.parentRunId").orElseThrow());
                    assertEquals(String.valueOf(threads), tag(run, "omp.threads").orElseThrow());
                    assertEquals(gemJar, tag(run, "plugin.pooling.sha256").orElseThrow(), "the jar's provenance");
                    assertTrue(tag(run, "plugin.pooling").orElseThrow().startsWith("gem@"), run.toString());
                    children.add(run.getInfo().getStatus());
                }
            }
            assertTrue(children.contains(RunStatus.FINISHED) && children.contains(RunStatus.FAILED), "" + children);
        }
        try (Stream<Path> logs = Files.list(cli.home().resolve("logs"))) {
            assertEquals(2, logs.count(), "one console log per point");
        }
    }

    @Test
    void aParallelSweepThatCouldExhaustTheMemoryIsRefusedBeforeItStarts() throws Exception {
        long machine = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        Cli cli = new Cli(dir, SERVER.uri(), List.of("-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=2g",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=" + machine));
        Path file = cli.experiment("""
                experiment: it-parallel-memory
                data: {trainSubset: 200, testSubset: 100}
                backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
                sweep: {pooling.id: [gap, max]}
                """);
        Cli.Result result = cli.run("run", file.toString(), "--workers", "2");
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains("--workers: 2 runs at a time") && result.err().contains("--workers 1 or "),
                result.err());
        try (MlflowClient client = new MlflowClient(SERVER.uri())) {
            assertTrue(client.getExperimentByName("it-parallel-memory").isEmpty(), "a run was started");
        }
    }

    private static Optional<String> tag(Run run, String key) {
        return run.getData().getTagsList().stream().filter(tag -> tag.getKey().equals(key)).map(RunTag::getValue)
                .findFirst();
    }

    @Test
    void aStoppedRunIsMarkedKilledInMlflow() throws Exception {
        Cli cli = new Cli(dir, SERVER.uri());
        Path file = cli.experiment("""
                experiment: it-killed
                data: {trainSubset: 20000, testSubset: 100}
                backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
                trainer: {epochs: 1, batchSize: 50}
                """);
        Process process = cli.start("run", file.toString());
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!cli.errFile().contains("epoch 1/1") && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(process.isAlive(), "the run ended before it could be stopped: " + cli.errFile());
        process.destroy(); // SIGTERM, as from kill or a closing terminal
        process.waitFor();
        try (MlflowClient client = new MlflowClient(SERVER.uri())) {
            String experimentId = client.getExperimentByName("it-killed").orElseThrow().getExperimentId();
            List<RunInfo> runs = client.listRunInfos(experimentId);
            assertEquals(1, runs.size());
            assertEquals(RunStatus.KILLED, runs.get(0).getStatus());
            assertTrue(cli.errFile().contains("./poollab resume " + runs.get(0).getRunId()),
                    "the stop says how to continue: " + cli.errFile());
        }
    }

    @Test
    void aStoppedSweepIsContinuedByResumingItsParentRun() throws Exception {
        Cli cli = new Cli(dir, SERVER.uri());
        Path file = cli.experiment("""
                experiment: it/sweep-resume
                data: {trainSubset: 3000, testSubset: 100}
                backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
                trainer: {epochs: 2, batchSize: 50}
                eval: {batchSize: 100, knn: {k: [10]}, everyEpochs: 2}
                sweep: {pooling.id: [gap, max]}
                """);
        Process process = cli.start("run", file.toString(), "--set", "seed=3");
        // An MLflow-style name with a slash: one folder, it%2Fsweep-resume, that the resume must find again.
        Path checkpoints = cli.home().resolve("checkpoints/it%2Fsweep-resume");
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (runsWithAFirstCheckpoint(checkpoints) < 2 && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(process.isAlive(), "the sweep ended before its second run could be stopped: " + cli.errFile());
        process.destroy(); // in the second run's second epoch
        process.waitFor();
        try (MlflowClient client = new MlflowClient(SERVER.uri())) {
            String experimentId = client.getExperimentByName("it/sweep-resume").orElseThrow().getExperimentId();
            String parentId = client.listRunInfos(experimentId).stream().map(info -> client.getRun(info.getRunId()))
                    .filter(run -> tag(run, "mlflow.parentRunId").isEmpty()).findFirst().orElseThrow().getInfo()
                    .getRunId();
            assertTrue(cli.errFile().contains("'./poollab resume " + parentId + "' continues the sweep"),
                    "the stop says how to continue the sweep: " + cli.errFile());

            Cli.Result resumed = cli.run("resume", parentId, "--workers", "2");
            assertEquals(0, resumed.code(), resumed.out() + resumed.err());
            assertTrue(resumed.out().contains("pooling.id=gap: finished before"), resumed.out());
            String secondLog = Files.readString(cli.home().resolve("logs/" + parentId + "-2.log"));
            assertTrue(secondLog.contains("(1 of 2 epochs done)"), "the second run continues: " + secondLog);

            List<Run> runs = client.listRunInfos(experimentId).stream().map(info -> client.getRun(info.getRunId()))
                    .toList();
            assertEquals(3, runs.size(), "the parent and one run per point, none started twice");
            List<String> points = new ArrayList<>();
            for (Run run : runs) {
                assertEquals(RunStatus.FINISHED, run.getInfo().getStatus(), run.getInfo().getRunName());
                if (!run.getInfo().getRunId().equals(parentId)) {
                    points.add(tag(run, "sweep.point").orElseThrow());
                    assertTrue(run.getData().getParamsList().stream().anyMatch(param ->
                            param.getKey().equals("seed") && param.getValue().equals("3")), "--set is kept");
                    assertTrue(run.getData().getMetricsList().stream().anyMatch(metric ->
                            metric.getKey().equals("knn_top1_k10")), "evaluated after its last epoch");
                }
            }
            assertEquals(List.of("0", "1"), points.stream().sorted().toList());
        }
    }

    private static long runsWithAFirstCheckpoint(Path experimentCheckpoints) throws IOException {
        if (!Files.isDirectory(experimentCheckpoints)) {
            return 0;
        }
        try (Stream<Path> runs = Files.list(experimentCheckpoints)) {
            return runs.filter(run -> Files.exists(run.resolve("epoch-001.zip"))).count();
        }
    }

    @Test
    void aDivergingRunStopsWithAClearMessageAndIsMarkedFailedWithTheError() throws Exception {
        Cli cli = new Cli(dir, SERVER.uri());
        Path file = cli.experiment("""
                experiment: it-diverged
                data: {trainSubset: 640, testSubset: 100}
                backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
                pooling: {id: gem, params: {p: 100}}
                trainer: {epochs: 2, batchSize: 64, optimizer: {lr: 10, warmupFraction: 0, clipGrad: 0}}
                """); // after one step with lr 10 the tokens exceed 2.4, and x^100 overflows float: NaN
        Cli.Result result = cli.run("run", file.toString());
        assertEquals(1, result.code(), result.err());
        assertTrue(result.err().contains("training diverged") && result.err().contains("lower trainer.optimizer.lr"),
                result.err());
        assertFalse(result.err().contains("\tat org."), "stack trace on the console: " + result.err());
        String error = failedRunsError("it-diverged");
        assertTrue(error.contains("the loss became"), error);
    }

    /** The {@code error} tag of the experiment's one run, which must be FAILED. */
    private static String failedRunsError(String experiment) {
        try (MlflowClient client = new MlflowClient(SERVER.uri())) {
            String experimentId = client.getExperimentByName(experiment).orElseThrow().getExperimentId();
            List<RunInfo> runs = client.listRunInfos(experimentId);
            assertEquals(1, runs.size());
            assertEquals(RunStatus.FAILED, runs.get(0).getStatus());
            return client.getRun(runs.get(0).getRunId()).getData().getTagsList().stream()
                    .filter(tag -> tag.getKey().equals("error")).findFirst().orElseThrow().getValue();
        }
    }

    @Test
    void aRunBeyondTheMemoryCapStopsWithTheFixAndIsMarkedFailed() throws Exception {
        Cli cli = new Cli(dir, SERVER.uri(), List.of("-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=1g",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=1500m"));
        Path file = cli.experiment("""
                experiment: it-memory
                data: {trainSubset: 512, testSubset: 100}
                backbone: {id: vit, preset: fmnist-dino}
                pooling: {id: gap}
                trainer: {epochs: 1, batchSize: 512}
                """); // a batch of 512 at width 192 needs several GB of activations
        Cli.Result result = cli.run("run", file.toString());
        assertEquals(1, result.code(), result.err());
        assertTrue(result.err().contains("memory: out of memory") && result.err().contains("trainer.batchSize")
                && result.err().contains("POOLLAB_JAVA_OPTS"), result.err());
        assertFalse(result.err().contains("\tat org."), "stack trace on the console: " + result.err());
        try (MlflowClient client = new MlflowClient(SERVER.uri())) {
            String experimentId = client.getExperimentByName("it-memory").orElseThrow().getExperimentId();
            List<RunInfo> runs = client.listRunInfos(experimentId);
            assertEquals(RunStatus.FAILED, runs.get(0).getStatus());
        }
    }

    @Test
    void runWithoutAnExperimentFileSaysWhatToPass() throws Exception {
        assertBadInput(cli("run"), "no experiment file given");
    }

    @Test
    void malformedYamlIsABadInputWithoutStackTrace() throws Exception {
        assertBadInput(cli("run", experiment("experiment: [oops\n").toString()), "not valid YAML");
    }

    @Test
    void unknownPluginIdNamesTheFieldAndTheAvailableIds() throws Exception {
        Cli.Result result = cli("validate", experiment("experiment: e\npooling: {id: nosuch}\n").toString());
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

    @Test
    void experimentNamesThatLookLikePathsKeepTheirCheckpointsInsideTheProjectsFolder() throws Exception {
        Path outside = dir.resolve("outside");
        for (String name : List.of("../outside/evil", outside.resolve("absolute").toString())) {
            Cli.Result result = cli("run", experiment("""
                    experiment: "%s"
                    data: {trainSubset: 100, testSubset: 50}
                    backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
                    trainer: {epochs: 1, batchSize: 50}
                    eval: {batchSize: 50, knn: {k: [10]}}
                    """.formatted(name)).toString());
            assertEquals(0, result.code(), result.err());
        }
        assertFalse(Files.exists(outside), "nothing was written outside the project's folders");
        Path checkpoints = new Cli(dir, SERVER.uri()).home().resolve("checkpoints");
        try (Stream<Path> experiments = Files.list(checkpoints)) {
            List<String> names = experiments.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2, names.size(), names.toString());
            // the leading dot is encoded, so no name is ".."
            assertTrue(names.contains("%2E.%2Foutside%2Fevil"), names.toString());
        }
        // Where reports/<name> would lead without the encoding: a report must neither write nor clear it.
        Path target = Files.createDirectories(outside.resolve("evil"));
        Files.writeString(target.resolve("keep.txt"), "mine");
        for (String name : List.of("../outside/evil", outside.resolve("absolute").toString())) {
            Cli.Result report = cli("report", name);
            assertEquals(0, report.code(), report.err());
        }
        try (Stream<Path> kept = Files.list(target)) {
            assertEquals(List.of(target.resolve("keep.txt")), kept.toList());
        }
        assertFalse(Files.exists(outside.resolve("absolute")), "nothing written at the absolute name");
        assertTrue(Files.exists(dir.resolve("reports/%2E.%2Foutside%2Fevil/index.html")), "the report is under "
                + "reports/, as one folder");
    }

    @Test
    void aDataPathNamingAFileSaysSoAndTheRunIsFailedInMlflowWithTheMessage() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder.txt"), "x");
        assertBadInput(cli("run", experiment("experiment: it-data-file\ndata: {path: " + file + "}\n").toString()),
                "is a file, not a folder");
        String error = failedRunsError("it-data-file");
        assertTrue(error.contains("is a file, not a folder"), error);
    }

    private static void assertBadInput(Cli.Result result, String mentioned) {
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains(mentioned), result.err());
        assertFalse(result.err().contains("\tat org."), "stack trace on the console: " + result.err());
    }
}

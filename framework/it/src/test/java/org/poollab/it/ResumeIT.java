package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.poollab.tracking.MlflowHttp;
import org.poollab.train.RunCheckpoints;

/**
 * Resume at every moment of a run, with SIGKILL: killed somewhere after its first checkpoint, a DINO run resumed
 * with {@code poollab resume} ends with the same k-NN numbers, under the same MLflow run id, as the same run left
 * alone; stopped with SIGTERM inside an epoch, it checkpoints the step it stopped after and resumes from there to
 * the same weights; on two data-parallel replicas, it is deterministic and resumes bit-identically; killed before
 * its first checkpoint, it is marked KILLED when next seen and resume says what to run; killed during an epoch's
 * evaluation, the resume evaluates that epoch; a damaged newest checkpoint is named and
 * the one before it used; a plugin jar rebuilt since the run started is refused unless accepted.
 */
class ResumeIT {

    @RegisterExtension
    static final MlflowServerExtension SERVER = new MlflowServerExtension();

    private static final String EXPERIMENT = """
            experiment: it-resume
            seed: 3
            data: {trainSubset: 256, testSubset: 200}
            backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
            pooling: {id: simpool}
            trainer:
              id: dino
              epochs: 3
              batchSize: 32
              optimizer: {lr: 1.0e-2}
              dino: {localCrops: 2, outDim: 64, hiddenDim: 64, bottleneckDim: 32, freezeLastLayerEpochs: 1}
            eval: {batchSize: 200}
            """;

    @TempDir
    static Path shared;

    private static Reference reference;

    @TempDir
    Path dir;

    /**
     * The experiment run without interruption, once for the tests that compare with it.
     *
     * @param runId its MLflow run
     * @param finalCheckpoint its last checkpoint
     */
    private record Reference(String runId, Path finalCheckpoint) {
    }

    private static synchronized Reference reference() throws Exception {
        if (reference == null) {
            Cli uninterrupted = new Cli(shared, SERVER.uri());
            Cli.Result run = uninterrupted.run("run", uninterrupted.experiment(EXPERIMENT).toString());
            assertEquals(0, run.code(), run.err());
            String runId = runIdIn(run.out());
            reference = new Reference(runId, uninterrupted.home().resolve("checkpoints/it-resume/" + runId
                    + "/epoch-003.zip"));
        }
        return reference;
    }

    @Test
    void aRunKilledMidwayAndResumedEndsLikeAnUninterruptedOne() throws Exception {
        Reference uninterrupted = reference();
        Cli killed = new Cli(Files.createDirectory(dir.resolve("b")), SERVER.uri());
        Process process = killed.start("run", killed.experiment(EXPERIMENT).toString());
        Path runFolder = await(killed.home().resolve("checkpoints/it-resume"), "epoch-001.zip", process);
        long delay = new Random().nextInt(4000);
        Thread.sleep(delay); // somewhere in epoch 2 or 3 (an epoch takes a few seconds)
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        String runId = runFolder.getFileName().toString();
        assertTrue(status(runId).equals("RUNNING"), "SIGKILL leaves the run RUNNING, got " + status(runId));

        Cli.Result resumed = killed.run("run", "--resume", runId);
        assertEquals(0, resumed.code(), "killed after " + delay + " ms\n" + resumed.err());
        assertTrue(resumed.out().contains("resuming from " + runFolder.resolve("epoch-00")), resumed.out());
        assertTrue(resumed.out().contains("/runs/" + runId), "same MLflow run: " + resumed.out());
        assertEquals("FINISHED", status(runId));
        Map<String, Double> expected = finalMetrics(uninterrupted.runId());
        assertEquals(9, expected.size(), "8 k-NN metrics and attention_jaccard: " + expected);
        assertEquals(expected, finalMetrics(runId), "killed after " + delay + " ms: the resumed run's "
                + "k-NN must equal the uninterrupted run's (same seed, same thread count)");
        assertNotEquals(runId, uninterrupted.runId());
        assertEquals(arrays(uninterrupted.finalCheckpoint()), arrays(runFolder.resolve("epoch-003.zip")),
                "killed after " + delay + " ms: the final student, teacher, AdamW state and centre must be "
                + "bit-identical");
    }

    @Test
    void aRunStoppedWithSigtermCheckpointsTheStepItStoppedAfterAndResumesFromThereToTheSameWeights()
            throws Exception {
        Reference uninterrupted = reference();
        Cli cli = new Cli(dir, SERVER.uri());
        // Evaluated only at the end (the weights do not depend on it): epoch 2 trains right after epoch 1's checkpoint.
        Process process = cli.start("run", cli.experiment(EXPERIMENT).toString(), "--set", "eval.everyEpochs=3");
        Path runFolder = await(cli.home().resolve("checkpoints/it-resume"), "epoch-001.zip", process);
        long delay = new Random().nextInt(800);
        Thread.sleep(delay);
        process.destroy(); // SIGTERM, as scancel and a sweep stopping its workers send
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        String err = cli.errFile();
        List<Path> inside;
        try (Stream<Path> files = Files.list(runFolder)) {
            inside = files.filter(f -> f.getFileName().toString().matches("epoch-001-step-\\d{5}\\.zip")).toList();
        }
        assertEquals(1, inside.size(), "stopped " + delay + " ms into epoch 2: one checkpoint of the step it stopped "
                + "after\n" + err);
        assertTrue(err.contains("stopping after the step in flight") && err.contains("wrote " + inside.get(0)), err);
        String runId = runFolder.getFileName().toString();
        assertEquals("KILLED", status(runId));

        Cli.Result resumed = cli.run("resume", runId);
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming from " + inside.get(0)), resumed.out());
        assertEquals("FINISHED", status(runId));
        assertTrue(!Files.exists(inside.get(0)), "the epoch's checkpoint replaces the one written inside it");
        assertEquals(arrays(uninterrupted.finalCheckpoint()), arrays(runFolder.resolve("epoch-003.zip")),
                "stopped at " + inside.get(0).getFileName() + ": the final weights must be bit-identical");
    }

    @Test
    void aRunOnTwoReplicasKilledAndResumedEndsBitIdenticalToTheSameRunLeftAlone() throws Exception {
        Cli alone = new Cli(Files.createDirectory(dir.resolve("alone")), SERVER.uri());
        Cli.Result reference = alone.run("run", alone.experiment(EXPERIMENT).toString(), "--set",
                "trainer.replicas=2");
        assertEquals(0, reference.code(), reference.err());
        String referenceId = runIdIn(reference.out());
        Cli killed = new Cli(Files.createDirectory(dir.resolve("killed")), SERVER.uri());
        Process process = killed.start("run", killed.experiment(EXPERIMENT).toString(), "--set",
                "trainer.replicas=2");
        Path runFolder = await(killed.home().resolve("checkpoints/it-resume"), "epoch-001.zip", process);
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        Cli.Result resumed = killed.run("resume", runFolder.getFileName().toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(arrays(alone.home().resolve("checkpoints/it-resume/" + referenceId + "/epoch-003.zip")),
                arrays(runFolder.resolve("epoch-003.zip")), "two replicas: deterministic run to run, and a resume "
                + "with the same replicas is bit-identical");
    }

    /** Every array entry of a checkpoint, as its bytes in hex, by entry name. */
    static Map<String, String> arrays(Path checkpoint) throws Exception {
        Map<String, String> entries = new TreeMap<>();
        try (ZipFile zip = new ZipFile(checkpoint.toFile())) {
            for (ZipEntry entry : zip.stream().filter(e -> e.getName().endsWith(".bin")).toList()) {
                entries.put(entry.getName(), HexFormat.of().formatHex(zip.getInputStream(entry).readAllBytes()));
            }
        }
        assertTrue(entries.keySet().stream().anyMatch(name -> name.startsWith("optimizer/")), entries.keySet()
                .toString());
        return entries;
    }

    @Test
    void resumingARunThatHasNoCheckpointSaysWhy() throws Exception {
        Cli cli = new Cli(dir, SERVER.uri());
        Files.createDirectories(cli.home().resolve("checkpoints/it-resume/0123abcd"));
        Cli.Result result = cli.run("resume", "0123abcd");
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains("before its first checkpoint") && result.err().contains("poollab run"),
                result.err());
        assertTrue(!result.err().contains("\tat "), "no stack trace: " + result.err());
    }

    @Test
    void aResumeWithAnotherBuildOfAPluginJarIsRefusedUnlessAcceptedAndThenTagged() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        try (Stream<Path> jars = Files.list(Project.PLUGINS)) {
            for (Path jar : jars.filter(jar -> jar.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        Cli cli = new Cli(dir, SERVER.uri()).with("POOLLAB_PLUGINS_DIR", plugins.toString());
        String runId = killedAfter(cli, "epoch-001.zip");
        Path runFolder = cli.home().resolve("checkpoints/it-resume/" + runId);
        List<Path> checkpointsBefore = checkpoints(runFolder);
        rebuild(plugins.resolve("simpool.jar")); // the same version, other bytes: as a rebuild from changed code

        Cli.Result refused = cli.run("resume", runId);
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("pooling 'simpool' was plugin simpool") && refused.err().contains(
                "simpool.jar, sha256") && refused.err().contains("--accept-plugin-change"), refused.err());
        assertTrue(!refused.err().contains("\tat "), "no stack trace: " + refused.err());
        assertEquals(checkpointsBefore, checkpoints(runFolder), "a refused resume changes nothing");

        Cli.Result accepted = cli.run("resume", runId, "--accept-plugin-change");
        assertEquals(0, accepted.code(), accepted.err());
        assertTrue(accepted.out().contains("warning: the plugin code changed since training: pooling 'simpool'"),
                accepted.out());
        assertEquals("FINISHED", status(runId));
        String run = MlflowHttp.get(SERVER.uri(), "/api/2.0/mlflow/runs/get?run_id=" + runId);
        assertTrue(run.contains("\"plugin.changed\""), "the change is tagged on the run: " + run);
    }

    /** The checkpoints of a run folder, newest first. */
    private static List<Path> checkpoints(Path runFolder) throws Exception {
        return RunCheckpoints.newestFirst(runFolder);
    }

    /** Writes the jar again with one more entry: the same classes and manifest, another SHA-256. */
    private static void rebuild(Path jar) throws Exception {
        Path rebuilt = jar.resolveSibling("rebuilt.tmp");
        try (ZipFile in = new ZipFile(jar.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(rebuilt))) {
            for (ZipEntry entry : in.stream().toList()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(in.getInputStream(entry).readAllBytes());
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("META-INF/rebuilt.txt"));
            out.write(new byte[] {'1'});
            out.closeEntry();
        }
        Files.move(rebuilt, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aRunKilledBeforeItsFirstCheckpointIsMarkedKilledWhenNextSeenAndResumeSaysWhatToRun() throws Exception {
        Cli cli = new Cli(dir, SERVER.uri());
        Path file = cli.experiment(EXPERIMENT);
        Process process = cli.start("run", file.toString());
        Path runFolder = await(cli.home().resolve("checkpoints/it-resume"), "run.properties", process);
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertTrue(!Files.exists(runFolder.resolve("epoch-001.zip")), "killed before the first checkpoint");
        String runId = runFolder.getFileName().toString();
        assertEquals("RUNNING", status(runId), "SIGKILL leaves the run RUNNING");

        Cli.Result sync = cli.run("mlflow", "sync");
        assertEquals(0, sync.code(), sync.err());
        assertEquals("KILLED", status(runId), "marked when next seen: " + sync.out());

        Cli.Result resumed = cli.run("resume", runId);
        assertEquals(2, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("nothing to resume") && resumed.err().contains("./poollab run "
                + file.toAbsolutePath()), resumed.err());
    }

    @Test
    void aResumeEvaluatesTheEpochWhoseEvaluationWasCut() throws Exception {
        Cli cli = new Cli(dir, SERVER.uri());
        String runId = killedAfter(cli, "epoch-002.zip");
        Path runFolder = cli.home().resolve("checkpoints/it-resume").resolve(runId);
        assertTrue(!Files.exists(runFolder.resolve("epoch-002.evaluated")), "killed before epoch 2 was evaluated");
        Cli.Result resumed = cli.run("resume", runId);
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming from " + runFolder.resolve("epoch-002.zip")), resumed.out());
        assertEquals(List.of(1, 2, 3), steps(runId, "knn_top1_k20"), "no epoch's evaluation missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated", "bit-flipped"})
    void aDamagedNewestCheckpointIsNamedAndTheOneBeforeItResumes(String damage) throws Exception {
        Cli cli = new Cli(dir, SERVER.uri());
        String runId = killedAfter(cli, "epoch-002.zip");
        Path newest = cli.home().resolve("checkpoints/it-resume").resolve(runId).resolve("epoch-002.zip");
        byte[] bytes = Files.readAllBytes(newest);
        if (damage.equals("truncated")) {
            bytes = Arrays.copyOf(bytes, bytes.length / 2);
        } else {
            bytes[bytes.length / 2] ^= 0x04; // inside the arrays' entries
        }
        Files.write(newest, bytes);
        Cli.Result resumed = cli.run("resume", runId);
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("epoch-002.zip is corrupt")
                && resumed.out().contains("resuming from the older epoch-001.zip"), resumed.out());
        assertEquals("FINISHED", status(runId));
        assertEquals(List.of(1, 2, 3), steps(runId, "knn_top1_k20"));
    }

    /** Starts the experiment (evaluating every epoch) and kills it as soon as {@code file} is in its folder. */
    private static String killedAfter(Cli cli, String file) throws Exception {
        Process process = cli.start("run", cli.experiment(EXPERIMENT).toString(), "--set", "eval.everyEpochs=1");
        Path runFolder = await(cli.home().resolve("checkpoints/it-resume"), file, process);
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return runFolder.getFileName().toString();
    }

    /** The steps at which MLflow holds the metric, in order, without repeats. */
    private static List<Integer> steps(String runId, String metric) {
        String history = MlflowHttp.get(SERVER.uri(), "/api/2.0/mlflow/metrics/get-history?run_id=" + runId
                + "&metric_key=" + metric);
        Matcher step = Pattern.compile("\"step\":\\s*\"?([0-9]+)").matcher(history);
        TreeSet<Integer> steps = new TreeSet<>();
        while (step.find()) {
            steps.add(Integer.parseInt(step.group(1)));
        }
        return List.copyOf(steps);
    }

    /** The run folder in which {@code file} appears first, polled every 20 ms while the run lives. */
    static Path await(Path experimentFolder, String file, Process process) throws Exception {
        for (int i = 0; i < 6000; i++) {
            if (Files.isDirectory(experimentFolder)) {
                try (Stream<Path> runs = Files.list(experimentFolder)) {
                    Path run = runs.filter(r -> Files.exists(r.resolve(file))).findFirst().orElse(null);
                    if (run != null) {
                        return run;
                    }
                }
            }
            assertTrue(process.isAlive(), "the run ended before " + file + " appeared");
            Thread.sleep(20);
        }
        throw new AssertionError("no " + file + " after 120 s");
    }

    private static String status(String runId) {
        return RunState.of(SERVER.uri(), runId);
    }

    /** The run's latest k-NN and attention metrics as MLflow holds them (full precision). */
    private static Map<String, Double> finalMetrics(String runId) {
        String run = MlflowHttp.get(SERVER.uri(), "/api/2.0/mlflow/runs/get?run_id=" + runId);
        Map<String, Double> metrics = new TreeMap<>();
        Matcher entry = Pattern.compile("\\{[^{}]*\"key\":\\s*\"((?:knn_|attention_)\\w+)\"[^{}]*}").matcher(run);
        while (entry.find()) {
            Matcher value = Pattern.compile("\"value\":\\s*([-0-9.eE+]+)").matcher(entry.group());
            assertTrue(value.find(), entry.group());
            metrics.put(entry.group(1), Double.parseDouble(value.group(1)));
        }
        return metrics;
    }

    private static String runIdIn(String out) {
        Matcher m = Pattern.compile("/runs/([0-9a-f]+)").matcher(out);
        return m.find() ? m.group(1) : "";
    }
}

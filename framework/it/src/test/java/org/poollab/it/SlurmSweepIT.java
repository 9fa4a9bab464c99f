package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.RunStatus;
import org.poollab.tracking.MlflowHttp;
import org.poollab.tracking.SweepChildren;

/**
 * A sweep as ONE Slurm job array on a real one-node cluster: submitted with {@code --executor slurm}, its three
 * points end as three FINISHED child runs of one parent, which the last task ends; the kept batch script passes
 * {@code sbatch --test-only}; {@code status} shows each point's MLflow and Slurm state; {@code scancel} of one task
 * stops its point alone (its run KILLED), {@code cancel} stops the rest of the array and marks its runs KILLED, and
 * {@code resume --executor slurm} resubmits the points that did not finish, which then end the same parent FINISHED, the cancelled point with the weights of an uninterrupted run; a
 * task warned with USR1 (as before its time limit) checkpoints the step it stopped after, is requeued and continues
 * its point from there under the same run; a sweep sent to a partition with other machines is refused a
 * loopback-only tracking server.
 */
class SlurmSweepIT {

    @RegisterExtension
    static final MlflowServerExtension SERVER = new MlflowServerExtension();

    @RegisterExtension
    static final SlurmClusterExtension CLUSTER = new SlurmClusterExtension();

    private static final String SWEEP = """
            experiment: it-slurm
            data: {trainSubset: 200, testSubset: 100}
            backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
            trainer: {epochs: 1, batchSize: 50}
            eval: {batchSize: 100, knn: {k: [10]}}
            executor: {slurm: {cpusPerTask: 1, maxParallel: 2}}
            sweep: {pooling.id: [gap, max, simpool]}
            """;

    @TempDir
    Path dir;

    private Cli cli() {
        return new Cli(dir, SERVER.uri()).with("SLURM_CONF", CLUSTER.confFile().toString());
    }

    @Test
    void aSweepRunsAsOneJobArrayAndEndsAsFinishedChildrenOfOneParent() throws Exception {
        Cli cli = cli();
        Cli.Result submitted = cli.run("run", cli.experiment(SWEEP).toString(), "--executor", "slurm");
        assertEquals(0, submitted.code(), submitted.err());
        assertTrue(submitted.out().contains("submitted Slurm job array") && submitted.out().contains("3 tasks, 2 at "
                + "a time"), submitted.out());
        String parent = parentIn(submitted.out());
        Path script = cli.home().resolve("sweeps/" + parent + "/slurm/sweep.sbatch");
        String text = Files.readString(script);
        assertTrue(text.contains("#SBATCH --array=0-2%2") && text.contains("#SBATCH --cpus-per-task=1")
                && text.contains("#SBATCH --requeue"), text);
        assertEquals(0, slurm("sbatch", "--test-only", script.toString()), "the kept script is well-formed");

        awaitParent(parent, "FINISHED", 300);
        Map<Integer, SweepChildren.Child> children = SweepChildren.of(SERVER.uri(), parent);
        assertEquals(List.of(0, 1, 2), List.copyOf(new TreeMap<>(children).keySet()));
        children.values().forEach(child -> assertEquals(RunStatus.FINISHED, child.status(), child.toString()));
        String parentRun = MlflowHttp.get(SERVER.uri(), "/api/2.0/mlflow/runs/get?run_id=" + parent);
        assertTrue(parentRun.contains("\"slurm.job\""), parentRun);

        Cli.Result status = cli.run("status", parent);
        assertEquals(0, status.code(), status.err());
        assertEquals(3, status.out().lines().filter(line -> line.matches("[0-2] .*FINISHED .* ENDED .*knn_top1_k10.*"))
                .count(), status.out());
        for (int task = 0; task < 3; task++) {
            String log = Files.readString(cli.home().resolve("logs/" + parent + "-" + task + ".log"));
            assertTrue(log.contains("knn_top1_k10 = "), "task " + task + "'s log: " + log);
        }
    }

    @Test
    void cancelStopsTheArrayAndResumeResubmitsItsUnfinishedPointsWhichEndWithTheWeightsOfAnUninterruptedRun()
            throws Exception {
        Cli cli = cli();
        String experiment = SWEEP.replace("trainSubset: 200", "trainSubset: 600").replace("epochs: 1", "epochs: 3");
        Path file = cli.experiment(experiment);
        Cli.Result submitted = cli.run("run", file.toString(), "--executor", "slurm");
        assertEquals(0, submitted.code(), submitted.err());
        String parent = parentIn(submitted.out());
        Path runFolder = awaitCheckpoint(parent, cli.home().resolve("checkpoints/it-slurm"), 180);

        // One task of the array: its JVM stops after the step in flight and marks its own run KILLED.
        slurm("scancel", jobIn(submitted.out()) + "_0");
        awaitPoint(parent, 0, RunStatus.KILLED, 60);
        assertEquals("RUNNING", status(parent), "the other tasks go on");

        Cli.Result cancelled = cli.run("cancel", parent);
        assertEquals(0, cancelled.code(), cancelled.err());
        assertTrue(cancelled.out().contains("cancelled Slurm job array"), cancelled.out());
        Thread.sleep(3000); // scancel signals the tasks; their JVMs mark nothing once the runs are KILLED
        Map<Integer, SweepChildren.Child> children = SweepChildren.of(SERVER.uri(), parent);
        assertTrue(children.values().stream().allMatch(child -> child.status() == RunStatus.KILLED
                || child.status() == RunStatus.FINISHED), children.toString());
        assertEquals("KILLED", status(parent));
        Cli.Result status = cli.run("status", parent);
        assertTrue(status.out().lines().noneMatch(line -> line.contains("RUNNING")), status.out());

        Cli.Result resubmitted = cli.run("resume", parent, "--executor", "slurm");
        assertEquals(0, resubmitted.code(), resubmitted.err());
        assertTrue(resubmitted.out().matches("(?s).*resubmitting [1-3] of 3 points.*")
                && resubmitted.out().contains("submitted Slurm job array"), resubmitted.out());
        awaitParent(parent, "FINISHED", 300);
        Map<Integer, SweepChildren.Child> done = SweepChildren.of(SERVER.uri(), parent);
        assertEquals(3, done.size(), done.toString());
        done.values().forEach(child -> assertEquals(RunStatus.FINISHED, child.status(), child.toString()));
        String log = Files.readString(cli.home().resolve("logs/" + parent + "-0.log"));
        assertTrue(log.contains("resuming from " + runFolder.resolve("epoch-00")), "point 0 continues from its "
                + "checkpoint: " + log);

        // Point 0 (gap) alone, uninterrupted, on one thread as each task: the resumed point's weights, bit for bit.
        Path alone = Files.createDirectory(dir.resolve("alone"));
        Cli uninterrupted = new Cli(alone, SERVER.uri()).with("OMP_NUM_THREADS", "1");
        Cli.Result reference = uninterrupted.run("run", uninterrupted.experiment(experiment
                .replace("sweep: {pooling.id: [gap, max, simpool]}", "pooling: {id: gap}")).toString());
        assertEquals(0, reference.code(), reference.err());
        Matcher referenceRun = Pattern.compile("/runs/([0-9a-f]+)").matcher(reference.out());
        assertTrue(referenceRun.find(), reference.out());
        assertEquals(ResumeIT.arrays(uninterrupted.home().resolve("checkpoints/it-slurm/" + referenceRun.group(1)
                + "/epoch-003.zip")), ResumeIT.arrays(runFolder.resolve("epoch-003.zip")), "the cancelled point, "
                + "resumed by its resubmitted task, ends with the uninterrupted run's weights and AdamW state");
    }

    @Test
    void aSweepForAPartitionWithOtherMachinesIsRefusedALoopbackTrackingServer() throws Exception {
        Cli cli = cli();
        Cli.Result refused = cli.run("run", cli.experiment(SWEEP).toString(), "--executor", "slurm", "--slurm",
                "--partition=" + SlurmClusterExtension.FAR_PARTITION);
        assertEquals(2, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().contains("tracking.uri") && refused.err().contains("only this machine")
                && refused.err().contains(SlurmClusterExtension.FAR_NODE)
                && refused.err().contains("MLFLOW_TRACKING_URI"), refused.err());
        assertTrue(!Files.exists(cli.home().resolve("sweeps")), "nothing was created or submitted");
    }

    @Test
    void aTaskWarnedWithUsr1IsRequeuedAndContinuesItsPointFromItsCheckpoint() throws Exception {
        Cli cli = cli();
        // Evaluated at the end only: the warning reaches the task while it trains, and it stops after a step.
        Path file = cli.experiment(SWEEP.replace("trainSubset: 200", "trainSubset: 1000")
                .replace("epochs: 1", "epochs: 4").replace("[gap, max, simpool]", "[gap, max]")
                .replace("eval: {", "eval: {everyEpochs: 4, "));
        Cli.Result submitted = cli.run("run", file.toString(), "--executor", "slurm");
        assertEquals(0, submitted.code(), submitted.err());
        String parent = parentIn(submitted.out());
        Path runFolder = awaitCheckpoint(parent, cli.home().resolve("checkpoints/it-slurm"), 180);

        // What Slurm does BatchScript.SIGNAL_SECONDS before a task's time limit.
        slurm("scancel", "--signal=USR1", "--batch", jobIn(submitted.out()) + "_0");
        awaitParent(parent, "FINISHED", 300); // Slurm holds a requeued task back for about two minutes
        String log = Files.readString(cli.home().resolve("logs/" + parent + "-0.log"));
        assertTrue(log.contains("USR1: requeueing task 0"), log);
        Matcher written = Pattern.compile("poollab: wrote (\\S+-step-\\d+\\.zip)").matcher(log);
        assertTrue(written.find(), "the warned task checkpoints the step it stopped after: " + log);
        assertTrue(log.contains("resuming from " + written.group(1)), "the requeued task continues from it: " + log);
        Map<Integer, SweepChildren.Child> children = SweepChildren.of(SERVER.uri(), parent);
        assertEquals(runFolder.getFileName().toString(), children.get(0).runId(), "under the same MLflow run");
        children.values().forEach(child -> assertEquals(RunStatus.FINISHED, child.status(), child.toString()));
    }

    @Test
    void aFileWithoutASweepIsRefusedForSlurm() throws Exception {
        Cli cli = cli();
        Cli.Result refused = cli.run("run", cli.experiment("experiment: e\n").toString(), "--executor", "slurm");
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("--executor: slurm runs the points of a sweep"), refused.err());
    }

    /** The run folder of the sweep's point 0 once its first checkpoint is written. */
    private static Path awaitCheckpoint(String parent, Path experimentFolder, int seconds) throws Exception {
        for (int i = 0; i < seconds * 5; i++) {
            SweepChildren.Child first = SweepChildren.of(SERVER.uri(), parent).get(0);
            if (first != null && Files.exists(experimentFolder.resolve(first.runId()).resolve("epoch-001.zip"))) {
                return experimentFolder.resolve(first.runId());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no first checkpoint of point 0 in " + experimentFolder + " after " + seconds + " s");
    }

    private static String jobIn(String out) {
        Matcher m = Pattern.compile("submitted Slurm job array (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    private static void awaitPoint(String parent, int point, RunStatus expected, int seconds) throws Exception {
        SweepChildren.Child child = null;
        for (int i = 0; i < seconds * 5; i++) {
            child = SweepChildren.of(SERVER.uri(), parent).get(point);
            if (child != null && child.status() == expected) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("point " + point + " is " + child + " after " + seconds + " s, not " + expected);
    }

    private static String parentIn(String out) {
        Matcher m = Pattern.compile("poollab status ([0-9a-f]+)").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    private static void awaitParent(String parent, String expected, int seconds) throws InterruptedException {
        String last = "";
        for (int i = 0; i < seconds; i++) {
            last = status(parent);
            if (last.equals(expected)) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the sweep's parent is " + last + " after " + seconds + " s, not " + expected);
    }

    private static String status(String runId) {
        return RunState.of(SERVER.uri(), runId);
    }

    private static int slurm(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SLURM_CONF", CLUSTER.confFile().toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " hangs");
        assertEquals(0, process.exitValue(), out);
        return process.exitValue();
    }
}

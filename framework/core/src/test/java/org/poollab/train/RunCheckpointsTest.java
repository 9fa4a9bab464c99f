package org.poollab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poollab.config.ExperimentConfig;

/**
 * A checkpoint's config: the recorded plugin parameters, not today's plugin defaults, describe its model. A run's
 * checkpoints: those written inside an epoch sort between its neighbours and are replaced by the epoch's own.
 */
class RunCheckpointsTest {

    @TempDir
    Path dir;

    private static final String CONFIG = "experiment = e\nbackbone.id = vit\nbackbone.preset = fmnist-tiny\n"
            + "pooling.id = simpool\n";

    @Test
    void theRecordedPluginParametersAreReadBackOverThePreset() {
        Checkpoint checkpoint = new Checkpoint().text(RunCheckpoints.CONFIG, CONFIG)
                .text(RunCheckpoints.PLUGIN_PARAMS, "backbone.params.depth = 2\npooling.params.heads = 4\n"
                        + "pooling.params.gamma = none\n");
        ExperimentConfig config = RunCheckpoints.config(checkpoint);
        assertEquals("fmnist-tiny", config.backbone().preset());
        assertEquals("2", String.valueOf(config.backbone().params().get("depth")));
        assertEquals("4", String.valueOf(config.pooling().params().get("heads")));
        assertEquals("none", String.valueOf(config.pooling().params().get("gamma")));
    }

    @Test
    void aParameterWithoutValueWrittenAsNullByEarlierVersionsReadsBackAsNone() {
        Checkpoint checkpoint = new Checkpoint().text(RunCheckpoints.CONFIG, CONFIG)
                .text(RunCheckpoints.PLUGIN_PARAMS, "pooling.params.gamma = null\n");
        assertEquals("none", String.valueOf(RunCheckpoints.config(checkpoint).pooling().params().get("gamma")));
    }

    @Test
    void overridesWinOverTheRecordedParameters() {
        Checkpoint checkpoint = new Checkpoint().text(RunCheckpoints.CONFIG, CONFIG)
                .text(RunCheckpoints.PLUGIN_PARAMS, "pooling.params.heads = 4\n");
        ExperimentConfig config = RunCheckpoints.config(checkpoint, List.of("pooling.params.heads=2"));
        assertEquals("2", String.valueOf(config.pooling().params().get("heads")));
    }

    @Test
    void aCheckpointWithoutRecordedParametersKeepsItsConfigAlone() {
        ExperimentConfig config = RunCheckpoints.config(new Checkpoint().text(RunCheckpoints.CONFIG, CONFIG));
        assertEquals(List.of(), List.copyOf(config.pooling().params().keySet()));
    }

    @Test
    void checkpointsInsideAnEpochSortBetweenTheEpochsAndTheNextEpochsCheckpointReplacesThem() throws Exception {
        TrainingRun run = new TrainingRun(null, null, null, null, "", dir, null, Optional.empty());
        Path first = RunCheckpoints.write(run, new Checkpoint().text("a", "1"), 1, 0);
        Path early = RunCheckpoints.write(run, new Checkpoint().text("a", "2"), 1, 9);
        Path late = RunCheckpoints.write(run, new Checkpoint().text("a", "3"), 1, 10);
        assertEquals(List.of("epoch-001-step-00010.zip", "epoch-001-step-00009.zip", "epoch-001.zip"),
                RunCheckpoints.newestFirst(dir).stream().map(file -> file.getFileName().toString()).toList());
        assertEquals(late, RunCheckpoints.latest(dir).orElseThrow());

        Path second = RunCheckpoints.write(run, new Checkpoint().text("a", "4"), 2, 0);
        assertEquals(List.of(second, first), RunCheckpoints.newestFirst(dir));
        assertFalse(Files.exists(early) || Files.exists(late));
    }

    @Test
    void theStepsIntoAnEpochAreReadFromTheStateAndAreZeroInCheckpointsWrittenBeforeThem() {
        Checkpoint inside = new Checkpoint().text("state.properties", "epochsDone=2\nstepsIntoEpoch=7\nnextStep=31\n");
        assertEquals(2, RunCheckpoints.epochsDone(inside));
        assertEquals(7, RunCheckpoints.stepsIntoEpoch(inside));
        assertEquals(0, RunCheckpoints.stepsIntoEpoch(new Checkpoint().text("state.properties", "epochsDone=2\n")));
    }
}

package org.poollab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.poollab.config.ExperimentConfig;

/** A checkpoint's config: the recorded plugin parameters, not today's plugin defaults, describe its model. */
class RunCheckpointsTest {

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
}

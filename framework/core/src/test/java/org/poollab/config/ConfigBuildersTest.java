package org.poollab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The builders of the long configs: each field set by name, and nothing built with a field left unset. */
class ConfigBuildersTest {

    @Test
    void aBuilderWithFieldsLeftUnsetNamesThemAll() {
        IllegalStateException unset = assertThrows(IllegalStateException.class,
                () -> OptimizerConfig.builder().lr(1e-3).minLr(0).weightDecay(0.05).weightDecayEnd(0.05)
                        .warmupFraction(0.1).clipGrad(3).beta1(0.9).build());
        assertEquals("OptimizerConfig needs beta2, eps", unset.getMessage());
        assertThrows(IllegalStateException.class, () -> DinoConfig.builder().localCrops(6).build());
    }

    @Test
    void theReaderBuildsEachFieldFromItsOwnKey() {
        ExperimentConfig config = ExperimentLoader.fromSettings(List.of("experiment=e", "trainer.id=dino",
                "trainer.dino.teacherTemp=0.05", "trainer.dino.warmupTeacherTemp=0.03", "trainer.optimizer.beta1=0.8",
                "trainer.optimizer.beta2=0.99"));
        DinoConfig dino = config.trainer().dino();
        assertEquals(0.05, dino.teacherTemp());
        assertEquals(0.03, dino.warmupTeacherTemp());
        assertEquals(0.1, dino.studentTemp(), "the default");
        assertEquals(0.8, config.trainer().optimizer().beta1());
        assertEquals(0.99, config.trainer().optimizer().beta2());
    }
}

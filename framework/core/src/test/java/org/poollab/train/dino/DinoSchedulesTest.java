package org.poollab.train.dino;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poollab.config.ExperimentLoader;
import org.poollab.config.TrainerConfig;

/** Every DINO schedule at its first step, the end of its warm-up and its last step, against closed forms. */
class DinoSchedulesTest {

    private static final int TOTAL = 300;

    @TempDir
    Path dir;

    private DinoSchedules schedules() throws IOException {
        Path file = dir.resolve("dino.yaml");
        Files.writeString(file, "experiment: d\ntrainer: {id: dino, batchSize: 64}\n");
        TrainerConfig trainer = ExperimentLoader.load(file, List.of()).trainer();
        return DinoSchedules.of(trainer, TOTAL);
    }

    @Test
    void learningRateWarmsUpToTheBatchScaledPeakThenFollowsTheCosine() throws IOException {
        DinoSchedules s = schedules();
        double peak = 5e-4 * 64 / 256;
        int warmup = 60; // the preset's first fifth
        assertEquals(0, s.optimizer().learningRate().at(0), 1e-15);
        assertEquals(peak * 30 / 60, s.optimizer().learningRate().at(30), 1e-15);
        assertEquals(peak, s.optimizer().learningRate().at(warmup), 1e-15);
        double last = 1e-6 + 0.5 * (peak - 1e-6) * (1 + Math.cos(Math.PI * (TOTAL - 1 - warmup) / (TOTAL - warmup)));
        assertEquals(last, s.optimizer().learningRate().at(TOTAL - 1), 1e-15);
    }

    @Test
    void weightDecayAndMomentumFollowTheirCosines() throws IOException {
        DinoSchedules s = schedules();
        assertEquals(0.04, s.optimizer().weightDecay().at(0), 1e-15);
        assertEquals(0.4 + 0.5 * (0.04 - 0.4) * (1 + Math.cos(Math.PI * 150 / TOTAL)),
                s.optimizer().weightDecay().at(150), 1e-12);
        assertEquals(0.4 + 0.5 * (0.04 - 0.4) * (1 + Math.cos(Math.PI * (TOTAL - 1) / TOTAL)),
                s.optimizer().weightDecay().at(TOTAL - 1), 1e-12);
        assertEquals(0.996, s.momentum().at(0), 1e-15);
        assertEquals(1 - 0.004 * (1 + Math.cos(Math.PI * (TOTAL - 1) / TOTAL)) / 2, s.momentum().at(TOTAL - 1), 1e-15);
    }

    @Test
    void teacherTemperatureRisesLinearlyOverTheFirstThirdThenStaysFlat() throws IOException {
        DinoSchedules s = schedules();
        assertEquals(0.04, s.teacherTemp().at(0), 1e-15);
        assertEquals(0.04 + 0.03 * 50 / 100, s.teacherTemp().at(50), 1e-15);
        assertEquals(0.07, s.teacherTemp().at(100), 1e-15);
        assertEquals(0.07, s.teacherTemp().at(TOTAL - 1), 1e-15);
    }
}

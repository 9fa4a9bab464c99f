package org.poollab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The resolved config logged to MLflow as flat params reads back into the same config: a run can be reproduced
 * from its MLflow params alone (YAML → params → YAML).
 */
class ConfigRoundTripTest {

    @TempDir
    Path dir;

    static Stream<Path> shippedFiles() throws IOException {
        return Files.list(Path.of("../../experiments")).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest
    @MethodSource("shippedFiles")
    void flattenedParamsReadBackIntoTheSameConfig(Path shipped) throws IOException {
        for (SweepPoint point : ExperimentLoader.plan(shipped, List.of()).points()) {
            ExperimentConfig original = point.config();
            List<String> params = new ArrayList<>();
            original.flattened().forEach((key, value) -> params.add(key + "=" + value));
            Path empty = dir.resolve("empty.yaml");
            Files.writeString(empty, "{}\n");
            ExperimentConfig restored = ExperimentLoader.load(empty, params);
            assertEquals(original, restored, "round trip of " + shipped + " " + point.label());
        }
    }
}

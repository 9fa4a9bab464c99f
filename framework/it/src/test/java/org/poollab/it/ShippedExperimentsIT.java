package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.poollab.config.ExperimentLoader;
import org.poollab.config.ExperimentPlan;
import org.poollab.config.SweepPoint;
import org.poollab.model.ModelSpec;

/**
 * Every experiment file the project ships (experiments/, and the benchmarks' in bench/) validates against the
 * built plugins, every run of every sweep.
 */
class ShippedExperimentsIT {

    @RegisterExtension
    static final ShippedPlugins PLUGINS = new ShippedPlugins();

    static Stream<Path> shippedFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String folder : List.of("experiments", "bench")) {
            try (Stream<Path> listed = Files.list(Project.ROOT.resolve(folder))) {
                listed.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
            }
        }
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("shippedFiles")
    void validates(Path file) {
        ExperimentPlan plan = ExperimentLoader.plan(file, List.of());
        assertFalse(plan.points().isEmpty());
        for (SweepPoint point : plan.points()) {
            ModelSpec.resolve(PLUGINS.registry(), point.config());
        }
    }
}

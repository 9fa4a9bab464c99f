package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.inject.Guice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.poollab.config.ExperimentLoader;
import org.poollab.config.ExperimentPlan;
import org.poollab.config.SweepPoint;
import org.poollab.plugin.ComponentRegistry;
import org.poollab.plugin.PluginHost;
import org.poollab.run.ExperimentRunner;

/**
 * Every experiment file the project ships (experiments/, and the benchmarks' in bench/) validates against the
 * built plugins, every run of every sweep.
 */
class ShippedExperimentsIT {

    private static PluginHost host;
    private static ComponentRegistry registry;

    @BeforeAll
    static void loadPlugins() {
        host = new PluginHost(Project.PLUGINS, Guice.createInjector());
        registry = host.start();
    }

    @AfterAll
    static void stopPlugins() {
        host.close();
    }

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
            ExperimentRunner.resolve(registry, point.config());
        }
    }
}

package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.pooling.Pooling;
import org.poollab.config.ComponentConfig;
import org.poollab.model.ModelGraph;
import org.poollab.model.ModelSpec;
import org.poollab.plugin.ComponentRegistry;
import org.poollab.plugin.PluginHost;
import org.poollab.plugin.UnknownComponentException;

class PluginLoadingIT {

    @TempDir
    Path dir;

    private void copy(String jar, String as) throws IOException {
        Files.copy(Project.PLUGINS.resolve(jar), dir.resolve(as));
    }

    @Test
    void loadsTheBuiltJarsAndInjectsTheirDependencies() throws IOException {
        for (String id : new String[] {"vit", "gap", "cls", "simpool", "max"}) {
            copy(id + ".jar", id + ".jar");
        }
        try (PluginHost host = new PluginHost(dir, Guice.createInjector())) {
            ComponentRegistry registry = host.start();
            assertEquals(Set.of("gap", "cls", "simpool", "max"), registry.poolings().keySet());
            assertEquals(Set.of("vit"), registry.backbones().keySet());
            assertTrue(registry.failures().isEmpty(), registry.failures().toString());
            // The README's example plugin loads and runs through the framework like any other.
            Pooling max = registry.pooling("max");
            assertTrue(max.getClass().getClassLoader() != getClass().getClassLoader(), "loaded from its jar");
            ModelSpec spec = ModelSpec.resolve(registry, new ComponentConfig("vit", "fmnist-tiny", Map.of()),
                    new ComponentConfig("max", null, Map.of()), new ImageShape(1, 28, 28));
            ModelGraph model = ModelGraph.build(spec, DataType.FLOAT, 0);
            SameDiff sd = model.sd();
            var features = sd.output(Map.of(ModelGraph.IMAGES, Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28)),
                    model.features().name()).get(model.features().name());
            assertEquals(64, features.size(1));
        }
    }

    @Test
    void aDuplicatePluginIdLeavesBothJarsOutNamingThemAndTheOthersLoad() throws IOException {
        copy("simpool.jar", "simpool.jar");
        copy("simpool.jar", "simpool-copy.jar");
        copy("gap.jar", "gap.jar");
        try (PluginHost host = new PluginHost(dir, Guice.createInjector())) {
            ComponentRegistry registry = host.start();
            assertEquals(List.of("gap"), List.copyOf(registry.poolings().keySet()), "the other plugin loads");
            assertEquals(1, registry.failures().size(), registry.failures().toString());
            String failure = registry.failures().get(0);
            assertTrue(failure.contains("simpool.jar") && failure.contains("simpool-copy.jar"), failure);
            UnknownComponentException unknown = assertThrows(UnknownComponentException.class,
                    () -> registry.pooling("simpool"));
            assertTrue(unknown.getMessage().contains("simpool-copy.jar"), "a run that uses it is told why: "
                    + unknown.getMessage());
        }
    }
}

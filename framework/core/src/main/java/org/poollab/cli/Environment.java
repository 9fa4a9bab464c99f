package org.poollab.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.util.List;
import org.poollab.api.graph.Layers;
import org.poollab.plugin.ComponentRegistry;
import org.poollab.plugin.PluginHost;
import org.poollab.run.ProjectPaths;
import org.poollab.run.RunLauncher;
import org.poollab.train.SupervisedTrainer;
import org.poollab.train.Trainer;
import org.poollab.train.dino.DinoTrainer;
import org.poollab.train.mocov3.MocoTrainer;

/** The wired framework: Guice injector, plugin host and registry. Closing it stops the plugins. */
final class Environment implements AutoCloseable {

    final ProjectPaths paths = ProjectPaths.fromEnvironment();
    final Injector injector = Guice.createInjector(new AbstractModule() {
        @Override
        protected void configure() {
            bind(Layers.class).asEagerSingleton();
        }
    });
    private final PluginHost host = new PluginHost(paths.pluginFolders(), injector);
    final ComponentRegistry registry = startPlugins();

    /** Starts the plugins and reports each broken jar on one stderr line; the others are used. */
    private ComponentRegistry startPlugins() {
        ComponentRegistry started = host.start();
        started.failures().forEach(failure -> System.err.println("poollab: plugin not loaded: " + failure));
        return started;
    }

    /** The trainers by id, printing progress to stderr. */
    List<Trainer> trainers() {
        Layers layers = injector.getInstance(Layers.class);
        return List.of(new SupervisedTrainer(layers, System.err), new DinoTrainer(layers, System.err),
                new MocoTrainer(layers, System.err));
    }

    /**
     * Launches runs with these plugins and trainers, printing results to stdout.
     *
     * @param acceptPluginChange whether a resume may continue with other plugin jars than its run was trained with
     */
    RunLauncher launcher(boolean acceptPluginChange) {
        return new RunLauncher(registry, trainers(), paths, acceptPluginChange, System.out);
    }

    @Override
    public void close() {
        host.close();
    }
}

package org.poollab.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import org.poollab.api.graph.Layers;
import org.poollab.plugin.ComponentRegistry;
import org.poollab.plugin.PluginHost;
import org.poollab.run.ProjectPaths;

/** The wired framework: Guice injector, plugin host and registry. Closing it stops the plugins. */
final class Environment implements AutoCloseable {

    final ProjectPaths paths = ProjectPaths.fromEnvironment();
    final Injector injector = Guice.createInjector(new AbstractModule() {
        @Override
        protected void configure() {
            bind(Layers.class).asEagerSingleton();
        }
    });
    private final PluginHost host = new PluginHost(paths.plugins(), injector);
    final ComponentRegistry registry = host.start();

    @Override
    public void close() {
        host.close();
    }
}

package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.poollab.plugin.ComponentRegistry;
import org.poollab.plugin.PluginHost;

/** The built plugin jars, loaded once per test class (every one must load) and unloaded after it. */
final class ShippedPlugins implements BeforeAllCallback, AfterAllCallback {

    private PluginHost host;
    private ComponentRegistry registry;

    @Override
    public void beforeAll(ExtensionContext context) {
        host = new PluginHost(Project.PLUGINS, Guice.createInjector());
        registry = host.start();
        assertTrue(registry.failures().isEmpty(), registry.failures().toString());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        host.close();
    }

    /** The loaded components. */
    ComponentRegistry registry() {
        return registry;
    }
}

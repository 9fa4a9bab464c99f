package org.poollab.plugin;

import com.google.inject.Injector;
import org.pf4j.ExtensionFactory;

/** Creates PF4J extensions through the host's injector, so extensions get framework services injected. */
final class GuiceExtensionFactory implements ExtensionFactory {

    private final Injector injector;

    GuiceExtensionFactory(Injector injector) {
        this.injector = injector;
    }

    @Override
    public <T> T create(Class<T> extensionClass) {
        return injector.getInstance(extensionClass);
    }
}

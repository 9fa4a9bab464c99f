package org.poollab.cli;

import java.util.concurrent.Callable;
import org.poollab.api.Component;
import org.poollab.api.param.ParamSpec;
import org.poollab.plugin.Registered;
import org.poollab.run.ProjectPaths;
import picocli.CommandLine.Command;

/** {@code poollab plugins}: every loaded component with its parameters, and plugins that failed. */
@Command(name = "plugins", description = "List loaded plugins: id, version, kind, description, parameters.")
final class PluginsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        try (Environment environment = new Environment()) {
            System.out.println("plugin folders read: " + environment.paths.plugins() + " (POOLLAB_PLUGINS_DIR)");
            environment.paths.extraPlugins().forEach(folder -> System.out.println("                     " + folder
                    + " (--plugins / " + ProjectPaths.PLUGINS_PATH + ")"));
            for (Registered<? extends Component> entry : environment.registry.all()) {
                Component c = entry.component();
                System.out.printf("%n%s  [%s]  plugin %s %s (%s)%n  %s%n", c.id(), entry.kind(), entry.pluginId(),
                        entry.pluginVersion(), entry.jar(), c.description());
                for (ParamSpec p : c.parameters()) {
                    System.out.printf("    %-12s default %-8s %s; %s%n", p.name(), p.defaultValue() == null ? "none"
                            : p.defaultValue(), p.accepted(), p.description());
                }
                if (!c.presets().isEmpty()) {
                    System.out.println("    presets: " + new java.util.TreeMap<>(c.presets()));
                }
            }
            environment.registry.failures().forEach(f -> System.out.println("\nFAILED " + f));
        }
        return 0;
    }
}

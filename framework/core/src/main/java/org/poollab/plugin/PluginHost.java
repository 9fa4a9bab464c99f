package org.poollab.plugin;

import com.google.inject.Injector;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.pf4j.ExtensionFactory;
import org.pf4j.JarPluginManager;
import org.pf4j.JarPluginRepository;
import org.pf4j.PluginManager;
import org.pf4j.PluginRepository;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.poollab.api.Component;
import org.poollab.api.PoolLabApi;
import org.poollab.api.backbone.Backbone;
import org.poollab.api.pooling.Pooling;
import org.poollab.hash.Sha256;

/**
 * Loads the plugin jars of one or more folders (the shipped plugins directory, then a lab's own) with PF4J,
 * creates their extensions through Guice and indexes them by component id. A broken jar (corrupt, built for
 * another API version, an extension that throws while being created) and the jars of a plugin id that two jars
 * declare are each recorded as one failure line naming the jars, and the other plugins still load; two components
 * with the same id stop start-up with both jar names.
 */
public final class PluginHost implements AutoCloseable {

    private final List<Path> directories;
    /** Jars left out of loading: those whose plugin id another jar declares too (filled by {@link #start}). */
    private final Set<Path> ambiguous = new HashSet<>();
    private final PluginManager manager;

    /**
     * @param directory the plugins directory (only jars directly inside it are loaded)
     * @param injector creates extensions, injecting framework services into their constructors
     */
    public PluginHost(Path directory, Injector injector) {
        this(List.of(directory), injector);
    }

    /**
     * @param directories the plugin folders, the plugins directory first (only jars directly inside are loaded)
     * @param injector creates extensions, injecting framework services into their constructors
     */
    public PluginHost(List<Path> directories, Injector injector) {
        this.directories = List.copyOf(directories);
        this.manager = new JarPluginManager(directories.toArray(Path[]::new)) {
            @Override
            protected ExtensionFactory createExtensionFactory() {
                return new GuiceExtensionFactory(injector);
            }

            @Override
            protected PluginRepository createPluginRepository() {
                return new JarPluginRepository(getPluginsRoots()) {
                    @Override
                    public List<Path> getPluginPaths() {
                        return super.getPluginPaths().stream()
                                .filter(jar -> !ambiguous.contains(jar.toAbsolutePath().normalize())).toList();
                    }
                };
            }
        };
        manager.setSystemVersion(PoolLabApi.VERSION);
    }

    /**
     * Loads and starts every plugin and indexes its components.
     *
     * @throws PluginLoadException if the directory is missing or ids collide
     */
    public ComponentRegistry start() {
        if (!Files.isDirectory(directories.get(0))) {
            throw new PluginLoadException("plugins directory " + directories.get(0) + " does not exist; build the "
                    + "plugins (./poollab builds them into target/plugins) or set POOLLAB_PLUGINS_DIR");
        }
        for (Path extra : directories.subList(1, directories.size())) {
            if (!Files.isDirectory(extra)) {
                throw new PluginLoadException("the plugin folder " + extra + " (from --plugins or POOLLAB_PLUGINS_PATH)"
                        + " does not exist; fix the path or leave it out");
            }
        }
        List<String> failures = new ArrayList<>(leaveOutDuplicatePluginIds());
        manager.loadPlugins();
        manager.startPlugins();
        failures.addAll(unloadableJars());
        Map<String, Registered<Pooling>> poolings = new HashMap<>();
        Map<String, Registered<Backbone>> backbones = new HashMap<>();
        for (PluginWrapper plugin : manager.getPlugins()) {
            if (plugin.getPluginState() != PluginState.STARTED) {
                failures.add(describeFailure(plugin));
                continue;
            }
            List<Pooling> pluginPoolings;
            List<Backbone> pluginBackbones;
            try {
                pluginPoolings = manager.getExtensions(Pooling.class, plugin.getPluginId());
                pluginBackbones = manager.getExtensions(Backbone.class, plugin.getPluginId());
            } catch (RuntimeException e) {
                failures.add(plugin.getPluginPath().getFileName() + ": an extension could not be created ("
                        + rootMessage(e) + "); fix or remove the jar");
                continue;
            }
            String jarSha256 = sha256(plugin);
            pluginPoolings.forEach(pooling -> register(poolings, pooling, "pooling", plugin, jarSha256));
            pluginBackbones.forEach(backbone -> register(backbones, backbone, "backbone", plugin, jarSha256));
        }
        return new ComponentRegistry(poolings, backbones, failures);
    }

    /** Jars of the folders that PF4J could not load at all (corrupt, or no plugin manifest). */
    private List<String> unloadableJars() {
        Set<Path> loaded = new HashSet<>();
        manager.getPlugins().forEach(plugin -> loaded.add(plugin.getPluginPath().toAbsolutePath().normalize()));
        List<String> failures = new ArrayList<>();
        for (Path directory : directories) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(directory, "*.jar")) {
                for (Path jar : jars) {
                    Path normal = jar.toAbsolutePath().normalize();
                    if (!loaded.contains(normal) && !ambiguous.contains(normal)) {
                        failures.add(jar.getFileName() + ": not loadable as a plugin (a corrupt jar, or a manifest "
                                + "without Plugin-Id / Plugin-Version); rebuild it or remove it from " + directory);
                    }
                }
            } catch (IOException e) {
                failures.add(directory + ": cannot be listed (" + e.getMessage() + ")");
            }
        }
        return failures;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** Stops plugins one at a time: PF4J 3.15's stopPlugins() can fail midway (pf4j issue 656). */
    @Override
    public void close() {
        for (PluginWrapper plugin : new ArrayList<>(manager.getStartedPlugins())) {
            manager.stopPlugin(plugin.getPluginId());
        }
    }

    /**
     * Finds plugin ids declared by more than one jar (a copied module that kept its plugin.id, a lab's jar beside
     * a shipped one) and leaves all of those jars out, since which one was meant cannot be known; the other
     * plugins load, and only a run that uses such a plugin's components fails (naming both jars).
     *
     * @return one failure line per ambiguous id
     */
    private List<String> leaveOutDuplicatePluginIds() {
        Map<String, List<Path>> jarsById = new TreeMap<>();
        for (Path directory : directories) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(directory, "*.jar")) {
                for (Path jar : jars) {
                    String id = pluginId(jar);
                    if (id != null) {
                        jarsById.computeIfAbsent(id, key -> new ArrayList<>()).add(jar);
                    }
                }
            } catch (IOException e) {
                throw new PluginLoadException("cannot list the plugin folder " + directory + ": " + e.getMessage());
            }
        }
        List<String> failures = new ArrayList<>();
        jarsById.forEach((id, jars) -> {
            if (jars.size() > 1) {
                jars.forEach(jar -> ambiguous.add(jar.toAbsolutePath().normalize()));
                failures.add("plugin id '" + id + "' is declared by " + jars.stream().map(Path::toString)
                        .collect(Collectors.joining(" and ")) + "; none of them is loaded: remove all but one");
            }
        });
        return failures;
    }

    private static String pluginId(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest() == null ? null : file.getManifest().getMainAttributes().getValue("Plugin-Id");
        } catch (IOException e) {
            return null; // an unreadable jar is reported by PF4J's own loading below
        }
    }

    private static <T extends Component> void register(Map<String, Registered<T>> registry, T component,
                                                       String kind, PluginWrapper plugin, String jarSha256) {
        Registered<T> entry = new Registered<>(component, kind, plugin.getPluginId(),
                plugin.getDescriptor().getVersion(), plugin.getPluginPath(), jarSha256);
        Registered<T> other = registry.putIfAbsent(component.id(), entry);
        if (other != null) {
            throw new PluginLoadException(kind + " id '" + component.id() + "' is provided by both " + other.jar()
                    + " and " + entry.jar() + "; remove one of the jars or rename the component");
        }
    }

    private static String sha256(PluginWrapper plugin) {
        try {
            return Sha256.of(plugin.getPluginPath());
        } catch (IOException e) {
            throw new PluginLoadException("cannot read the plugin jar " + plugin.getPluginPath() + " ("
                    + e.getMessage() + "); check its permissions or remove it");
        }
    }

    private static String describeFailure(PluginWrapper plugin) {
        String jar = plugin.getPluginPath().getFileName().toString();
        String requires = plugin.getDescriptor().getRequires();
        String reason = plugin.getFailedException() != null ? plugin.getFailedException().getMessage()
                : "built for PoolLab API " + requires + ", but this PoolLab has API " + PoolLabApi.VERSION
                + " (plugin state " + plugin.getPluginState() + "); rebuild the plugin against this PoolLab's "
                + "poollab-api, or use the PoolLab it was built for";
        return jar + ": " + reason;
    }
}

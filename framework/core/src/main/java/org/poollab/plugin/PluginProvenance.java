package org.poollab.plugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.poollab.config.ExperimentConfig;

/**
 * Which plugin code a model's two components came from: for the backbone and the pooling, the plugin's id, version,
 * jar and the SHA-256 of that jar. Every run records it (as MLflow tags and in each checkpoint), so that a result
 * names the exact code behind it and a resume can refuse to continue a run with other code than it started with: a
 * rebuilt jar keeps its version, but not its hash.
 *
 * @param backbone where the backbone came from
 * @param pooling where the pooling came from
 */
public record PluginProvenance(Origin backbone, Origin pooling) {

    /**
     * One component's plugin.
     *
     * @param component the component's id
     * @param pluginId the plugin's id
     * @param version the plugin's version
     * @param jar the jar's file name
     * @param jarSha256 the SHA-256 of the jar's bytes
     */
    public record Origin(String component, String pluginId, String version, String jar, String jarSha256) {

        static Origin of(Registered<?> registered) {
            return new Origin(registered.component().id(), registered.pluginId(), registered.pluginVersion(),
                    registered.jar(), registered.jarSha256());
        }

        /** {@code plugin <id> <version> (<jar>, sha256 <first 12 hex digits>)}, for messages. */
        String describe() {
            return "plugin " + pluginId + " " + version + " (" + jar + ", sha256 "
                    + jarSha256.substring(0, Math.min(12, jarSha256.length())) + ")";
        }

        boolean sameCode(Origin other) {
            return pluginId.equals(other.pluginId) && version.equals(other.version)
                    && jarSha256.equals(other.jarSha256);
        }
    }

    private static final List<String> FIELDS = List.of("component", "plugin", "version", "jar", "sha256");

    /**
     * The origins of the installed backbone and pooling an experiment names.
     *
     * @throws UnknownComponentException if either is not loaded
     */
    public static PluginProvenance of(ComponentRegistry registry, ExperimentConfig config) {
        return new PluginProvenance(Origin.of(registry.registeredBackbone(config.backbone().id())),
                Origin.of(registry.registeredPooling(config.pooling().id())));
    }

    /**
     * Reads what {@link #properties} wrote.
     *
     * @return empty if a field is missing (a checkpoint written before PoolLab recorded provenance)
     */
    public static Optional<PluginProvenance> parse(Map<String, String> properties) {
        Optional<Origin> backbone = origin(properties, "backbone");
        Optional<Origin> pooling = origin(properties, "pooling");
        return backbone.isPresent() && pooling.isPresent()
                ? Optional.of(new PluginProvenance(backbone.get(), pooling.get())) : Optional.empty();
    }

    private static Optional<Origin> origin(Map<String, String> properties, String kind) {
        List<String> values = new ArrayList<>();
        for (String field : FIELDS) {
            String value = properties.get(kind + "." + field);
            if (value == null) {
                return Optional.empty();
            }
            values.add(value);
        }
        return Optional.of(new Origin(values.get(0), values.get(1), values.get(2), values.get(3), values.get(4)));
    }

    /** {@code backbone.component}, {@code backbone.plugin}, ... {@code pooling.sha256}, as a checkpoint stores them. */
    public Map<String, String> properties() {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "backbone", backbone);
        put(out, "pooling", pooling);
        return out;
    }

    private static void put(Map<String, String> out, String kind, Origin origin) {
        List<String> values = List.of(origin.component(), origin.pluginId(), origin.version(), origin.jar(),
                origin.jarSha256());
        for (int i = 0; i < FIELDS.size(); i++) {
            out.put(kind + "." + FIELDS.get(i), values.get(i));
        }
    }

    /**
     * MLflow tags: {@code plugin.backbone} = {@code <plugin id>@<version>} and {@code plugin.backbone.sha256}, the
     * same for the pooling.
     */
    public Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("plugin.backbone", backbone.pluginId() + "@" + backbone.version());
        tags.put("plugin.backbone.sha256", backbone.jarSha256());
        tags.put("plugin.pooling", pooling.pluginId() + "@" + pooling.version());
        tags.put("plugin.pooling.sha256", pooling.jarSha256());
        return tags;
    }

    /**
     * How the installed plugins differ from these recorded ones.
     *
     * @return one line per component whose plugin id, version or jar hash changed; empty if the code is the same
     */
    public List<String> changesTo(PluginProvenance installed) {
        List<String> changes = new ArrayList<>();
        change("backbone", backbone, installed.backbone).ifPresent(changes::add);
        change("pooling", pooling, installed.pooling).ifPresent(changes::add);
        return changes;
    }

    private static Optional<String> change(String kind, Origin recorded, Origin installed) {
        return recorded.sameCode(installed) ? Optional.empty() : Optional.of(kind + " '" + recorded.component()
                + "' was " + recorded.describe() + " and is now " + installed.describe());
    }
}

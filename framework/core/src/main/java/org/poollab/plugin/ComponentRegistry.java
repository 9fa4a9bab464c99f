package org.poollab.plugin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.poollab.api.Component;
import org.poollab.api.backbone.Backbone;
import org.poollab.api.pooling.Pooling;

/** The poolings and backbones the loaded plugins provide, by id, plus the plugins that failed to load. */
public final class ComponentRegistry {

    private final Map<String, Registered<Pooling>> poolings;
    private final Map<String, Registered<Backbone>> backbones;
    private final List<String> failures;

    ComponentRegistry(Map<String, Registered<Pooling>> poolings, Map<String, Registered<Backbone>> backbones,
                      List<String> failures) {
        this.poolings = Collections.unmodifiableMap(new TreeMap<>(poolings));
        this.backbones = Collections.unmodifiableMap(new TreeMap<>(backbones));
        this.failures = List.copyOf(failures);
    }

    /** All poolings by id. */
    public Map<String, Registered<Pooling>> poolings() {
        return poolings;
    }

    /** All backbones by id. */
    public Map<String, Registered<Backbone>> backbones() {
        return backbones;
    }

    /** One line per plugin that could not be loaded or started. */
    public List<String> failures() {
        return failures;
    }

    /** Every registered component, poolings first. */
    public List<Registered<? extends Component>> all() {
        List<Registered<? extends Component>> all = new ArrayList<>(poolings.values());
        all.addAll(backbones.values());
        return all;
    }

    /**
     * @throws UnknownComponentException naming the id, the available ids and any failed plugins
     */
    public Pooling pooling(String id) {
        return registeredPooling(id).component();
    }

    /**
     * @throws UnknownComponentException naming the id, the available ids and any failed plugins
     */
    public Backbone backbone(String id) {
        return registeredBackbone(id).component();
    }

    /**
     * The pooling with the plugin and jar it came from.
     *
     * @throws UnknownComponentException naming the id, the available ids and any failed plugins
     */
    public Registered<Pooling> registeredPooling(String id) {
        return find(poolings, id, "pooling");
    }

    /**
     * The backbone with the plugin and jar it came from.
     *
     * @throws UnknownComponentException naming the id, the available ids and any failed plugins
     */
    public Registered<Backbone> registeredBackbone(String id) {
        return find(backbones, id, "backbone");
    }

    private <T extends Component> Registered<T> find(Map<String, Registered<T>> map, String id, String kind) {
        Registered<T> found = map.get(id);
        if (found == null) {
            throw new UnknownComponentException(kind, id, available(map.keySet()), failures);
        }
        return found;
    }

    private static String available(Collection<String> ids) {
        return ids.isEmpty() ? "none (is the plugins directory empty?)" : String.join(", ", ids);
    }
}

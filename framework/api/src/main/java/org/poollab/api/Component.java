package org.poollab.api;

import java.util.List;
import java.util.Map;
import org.poollab.api.param.ParamSpec;

/**
 * What every plugin-provided component (pooling, backbone) tells the host about itself: a unique id used in
 * experiment files, a one-line description, and its typed parameters with defaults.
 */
public interface Component {

    /** The id used in experiment files ({@code pooling.id: simpool}); unique across all loaded plugins. */
    String id();

    /** One line for {@code poollab plugins}. */
    String description();

    /** Typed parameters with defaults; the host validates user values against them before building. */
    List<ParamSpec> parameters();

    /**
     * Named parameter sets ({@code backbone.preset: fmnist-small}); each maps parameter names to values that
     * replace the defaults. Explicit user parameters override a preset.
     */
    default Map<String, Map<String, Object>> presets() {
        return Map.of();
    }
}

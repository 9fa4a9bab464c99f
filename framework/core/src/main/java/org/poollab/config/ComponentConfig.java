package org.poollab.config;

import java.util.Map;

/**
 * A plugin component chosen in the experiment file ({@code pooling:} or {@code backbone:}).
 *
 * @param id the plugin component id
 * @param preset a named parameter set of the component, or {@code null}
 * @param params user parameter values, validated against the component's specs once plugins are loaded
 */
public record ComponentConfig(String id, String preset, Map<String, Object> params) {

    /** Copies the params. */
    public ComponentConfig {
        params = Map.copyOf(params);
    }
}

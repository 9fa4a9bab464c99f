package org.poollab.plugin;

import org.poollab.api.Component;

/**
 * A component found in a plugin jar.
 *
 * @param component the extension instance
 * @param kind "pooling" or "backbone"
 * @param pluginId the id of the plugin that provides it
 * @param pluginVersion that plugin's version
 * @param jar the jar's file name (for error messages)
 * @param <T> the extension point
 */
public record Registered<T extends Component>(T component, String kind, String pluginId, String pluginVersion,
                                              String jar) {
}

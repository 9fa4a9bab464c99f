package org.poollab.plugin;

import java.nio.file.Path;
import org.poollab.api.Component;

/**
 * A component found in a plugin jar.
 *
 * @param component the extension instance
 * @param kind "pooling" or "backbone"
 * @param pluginId the id of the plugin that provides it
 * @param pluginVersion that plugin's version
 * @param jarFile the jar it was loaded from
 * @param jarSha256 the SHA-256 of that jar's bytes, which identifies the code a run used better than a version that
 *                  a rebuild keeps
 * @param <T> the extension point
 */
public record Registered<T extends Component>(T component, String kind, String pluginId, String pluginVersion,
                                              Path jarFile, String jarSha256) {

    /** The jar's file name (for messages). */
    public String jar() {
        return jarFile.getFileName().toString();
    }

    /** {@code <kind> '<id>' (plugin <plugin id> <version>, <jar>)}, for messages. */
    public String describe() {
        return kind + " '" + component.id() + "' (plugin " + pluginId + " " + pluginVersion + ", " + jar() + ")";
    }
}

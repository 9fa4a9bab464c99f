package org.poollab.plugin;

/** The plugins directory cannot be loaded as a whole (e.g. two jars claim the same id). */
public class PluginLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message names the jars involved and the fix */
    public PluginLoadException(String message) {
        super(message);
    }
}

package org.poollab.plugin;

/**
 * A loaded plugin's own code threw (its {@code create()}, for example): the message names the component, its plugin,
 * version and jar, so that the user knows whose bug it is and which jar to fix or replace.
 */
public class PluginFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param plugin the component whose code threw
     * @param step what the framework asked of it, e.g. "create()"
     * @param cause what it threw
     */
    public PluginFailureException(Registered<?> plugin, String step, RuntimeException cause) {
        super(plugin.describe() + " threw in " + step + ": " + rootMessage(cause) + ". This is a fault of the "
                + "plugin, not of the experiment file: fix and rebuild " + plugin.jar() + ", or choose another "
                + plugin.kind() + " (./poollab plugins lists them)", cause);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " (" + root.getMessage() + ")");
    }
}

package org.poollab.config;

/**
 * An experiment file that cannot be run: names the YAML path of the offending key and what would fix it.
 */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String path;

    /**
     * @param path the dotted YAML path ({@code trainer.epochs}), or empty for the whole file
     * @param message what is wrong and what is allowed
     */
    public ConfigException(String path, String message) {
        super(path.isEmpty() ? message : path + ": " + message);
        this.path = path;
    }

    /** The dotted YAML path of the offending key. */
    public String path() {
        return path;
    }
}

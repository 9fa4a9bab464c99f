package org.poollab.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of the plugin API. Plugins declare the range they were built for in their manifest
 * ({@code Plugin-Requires}); the host refuses plugins whose range does not contain this version.
 */
public final class PoolLabApi {

    /** The API version this host implements, filtered in from the build ({@code poollab.api.version}). */
    public static final String VERSION = read("version");
    /** The version of the PoolLab build, its Maven artifacts' version (the parent a plugin project names). */
    public static final String BUILD = read("build");

    private PoolLabApi() {
    }

    private static String read(String key) {
        try (InputStream in = PoolLabApi.class.getResourceAsStream("api-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("api-version.properties is missing from the poollab-api jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

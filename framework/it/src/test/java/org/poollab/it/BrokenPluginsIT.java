package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poollab.plugin.ComponentRegistry;
import org.poollab.plugin.PluginHost;

/**
 * Broken jars next to a good one: a corrupt file, a plugin built for another API version, and a plugin whose
 * extension throws in its constructor. Each is one failure line naming its jar; the good plugin still loads.
 */
class BrokenPluginsIT {

    @TempDir
    Path dir;

    @Test
    void eachBrokenJarIsOneFailureAndTheOthersLoad() throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        Files.copy(Project.PLUGINS.resolve("max.jar"), plugins.resolve("max.jar"));
        Files.write(plugins.resolve("corrupt.jar"), "this is not a zip file".getBytes(StandardCharsets.UTF_8));
        writeFutureApiJar(plugins.resolve("future.jar"));
        writeThrowingJar(plugins.resolve("throwing.jar"));

        try (PluginHost host = new PluginHost(plugins, Guice.createInjector())) {
            ComponentRegistry registry = host.start();
            assertEquals(Set.of("max"), registry.poolings().keySet());
            List<String> failures = registry.failures();
            assertEquals(3, failures.size(), failures.toString());
            for (String jar : List.of("corrupt.jar", "future.jar", "throwing.jar")) {
                assertEquals(1, failures.stream().filter(f -> f.startsWith(jar + ":")).count(), failures.toString());
            }
            assertTrue(failures.stream().anyMatch(f -> f.contains("future.jar") && f.contains(">=2.0.0")),
                    failures.toString());
            assertTrue(failures.stream().anyMatch(f -> f.contains("throwing.jar") && f.contains("boom")),
                    failures.toString());
        }
    }

    /** The max plugin's classes under another id, declaring that it needs API 2.x. */
    private void writeFutureApiJar(Path target) throws IOException {
        try (JarFile max = new JarFile(Project.PLUGINS.resolve("max.jar").toFile())) {
            Manifest manifest = new Manifest(max.getManifest());
            manifest.getMainAttributes().putValue("Plugin-Id", "future");
            manifest.getMainAttributes().putValue("Plugin-Requires", ">=2.0.0");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), manifest)) {
                var entries = max.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (!entry.getName().equals(JarFile.MANIFEST_NAME)) {
                        out.putNextEntry(new JarEntry(entry.getName()));
                        out.write(max.getInputStream(entry).readAllBytes());
                        out.closeEntry();
                    }
                }
            }
        }
    }

    /** A pooling plugin compiled here whose extension constructor throws. */
    private void writeThrowingJar(Path target) throws IOException {
        Path source = dir.resolve("src/broken/Throwing.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package broken;
                @org.pf4j.Extension
                public final class Throwing implements org.poollab.api.pooling.Pooling {
                    public Throwing() { throw new IllegalStateException("boom"); }
                    public String id() { return "throwing"; }
                    public String description() { return "throws"; }
                    public java.util.List<org.poollab.api.param.ParamSpec> parameters() { return java.util.List.of(); }
                    public org.poollab.api.pooling.PoolingModule create(org.poollab.api.param.Params p, int d) {
                        return null;
                    }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int code = compiler.run(null, null, null, "-proc:none", "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), source.toString());
        assertEquals(0, code, "compiling the throwing plugin");
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", "throwing");
        main.putValue("Plugin-Version", "1.0.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), manifest)) {
            out.putNextEntry(new JarEntry("broken/Throwing.class"));
            out.write(Files.readAllBytes(classes.resolve("broken/Throwing.class")));
            out.closeEntry();
            out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
            out.write("broken.Throwing\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}

package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken jars in a lab's plugin folder beside the shipped plugins, through the CLI as a user meets them: a corrupt
 * file, a plugin built for another API version, a plugin whose extension constructor throws and one whose
 * {@code create()} throws. {@code plugins} always works and names each failure by its jar; the other plugins load;
 * only a command that uses a broken component fails, with one paragraph naming the jar and exit code 2, and no
 * stack trace without {@code --debug}.
 */
class BrokenPluginsIT {

    /** No command here talks to MLflow: a port nothing listens on proves it. */
    private static final String NO_SERVER = "http://127.0.0.1:9";

    @TempDir
    Path dir;

    private Path lab;
    private Cli cli;

    @BeforeEach
    void labFolderWithBrokenJars() throws IOException {
        lab = Files.createDirectories(dir.resolve("lab"));
        Files.write(lab.resolve("corrupt.jar"), "this is not a zip file".getBytes(StandardCharsets.UTF_8));
        writeFutureApiJar(lab.resolve("future.jar"));
        compilePluginJar(lab.resolve("throwing.jar"), "throwing",
                "public Throwing() { throw new IllegalStateException(\"boom\"); }", "return null;");
        compilePluginJar(lab.resolve("failing-create.jar"), "failing",
                "", "throw new IllegalStateException(\"kaputt\");");
        cli = new Cli(dir, NO_SERVER);
    }

    @Test
    void pluginsListsEachBrokenJarOnceAndTheOthersLoad() throws Exception {
        Cli.Result listed = cli.run("plugins", "--plugins", lab.toString());
        assertEquals(0, listed.code(), "plugins always works: " + listed.err());
        for (String jar : new String[] {"corrupt.jar", "future.jar", "throwing.jar"}) {
            assertEquals(1, count(listed.out(), "FAILED " + jar + ":"), jar + " in " + listed.out());
        }
        assertTrue(listed.out().contains("FAILED future.jar:") && listed.out().contains(">=2.0.0"), listed.out());
        assertTrue(listed.out().contains("boom"), "the constructor's message: " + listed.out());
        assertTrue(listed.out().contains("failing  [pooling]"), "a plugin whose create() throws still loads");
        assertTrue(listed.out().contains("simpool  [pooling]") && listed.out().contains("vit  [backbone]"),
                "the shipped plugins load: " + listed.out());
        assertFalse((listed.out() + listed.err()).contains("\tat "), "no stack trace: " + listed.err());
    }

    @Test
    void onlyACommandThatUsesABrokenComponentFailsWithOneParagraphNamingItsJar() throws Exception {
        Path file = cli.experiment("experiment: e\npooling: {id: failing}\n");
        Cli.Result creates = cli.run("validate", file.toString(), "--plugins", lab.toString());
        assertEquals(2, creates.code(), creates.err());
        String paragraph = errorLine(creates.err());
        assertTrue(paragraph.contains("pooling 'failing'") && paragraph.contains("failing-create.jar")
                && paragraph.contains("create()") && paragraph.contains("kaputt"), paragraph);
        assertFalse(creates.err().contains("\tat "), "no stack trace: " + creates.err());

        Cli.Result constructorThrew = cli.run("validate", file.toString(), "--set", "pooling.id=throwing",
                "--plugins", lab.toString());
        assertEquals(2, constructorThrew.code(), constructorThrew.err());
        assertTrue(errorLine(constructorThrew.err()).contains("unknown pooling 'throwing'")
                && errorLine(constructorThrew.err()).contains("throwing.jar"), constructorThrew.err());

        Cli.Result other = cli.run("validate", file.toString(), "--set", "pooling.id=gap", "--plugins",
                lab.toString());
        assertEquals(0, other.code(), "a run with a good pooling is untouched: " + other.err());

        Cli.Result debug = cli.run("validate", file.toString(), "--debug", "--plugins", lab.toString());
        assertEquals(2, debug.code(), debug.err());
        assertTrue(debug.err().contains("\tat "), "--debug shows the stack trace: " + debug.err());
    }

    /** The CLI's error paragraph: its one {@code poollab: } line that is not a warning about a jar left out. */
    private static String errorLine(String err) {
        return err.lines().filter(line -> line.startsWith("poollab: ") && !line.startsWith("poollab: plugin not"))
                .reduce((a, b) -> a + "\n" + b).orElse("(no error line in: " + err + ")");
    }

    private static long count(String text, String part) {
        return text.lines().filter(line -> line.contains(part)).count();
    }

    /** The max plugin's classes under another id, declaring that it needs API 2.x. */
    private static void writeFutureApiJar(Path target) throws IOException {
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

    /**
     * A one-class pooling plugin compiled here.
     *
     * @param id the plugin's and the pooling's id; the class is {@code broken.<Id>}
     * @param constructor the class's constructor (empty for the default one)
     * @param createBody the body of {@code create(params, d)}
     */
    private void compilePluginJar(Path target, String id, String constructor, String createBody) throws IOException {
        String className = Character.toUpperCase(id.charAt(0)) + id.substring(1);
        Path source = dir.resolve("src/broken/" + className + ".java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package broken;
                @org.pf4j.Extension
                public final class %1$s implements org.poollab.api.pooling.Pooling {
                    %2$s
                    public String id() { return "%3$s"; }
                    public String description() { return "a broken plugin"; }
                    public java.util.List<org.poollab.api.param.ParamSpec> parameters() { return java.util.List.of(); }
                    public org.poollab.api.pooling.PoolingModule create(org.poollab.api.param.Params p, int d) {
                        %4$s
                    }
                }
                """.formatted(className, constructor.replace("Throwing", className), id, createBody));
        Path classes = Files.createDirectories(dir.resolve("classes-" + id));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int code = compiler.run(null, null, null, "-proc:none", "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), source.toString());
        assertEquals(0, code, "compiling the " + id + " plugin");
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", id);
        main.putValue("Plugin-Version", "1.0.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), manifest)) {
            out.putNextEntry(new JarEntry("broken/" + className + ".class"));
            out.write(Files.readAllBytes(classes.resolve("broken/" + className + ".class")));
            out.closeEntry();
            out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
            out.write(("broken." + className + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}

package org.poollab.scaffold;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.poollab.api.PoolLabApi;

/**
 * A standalone Maven project for one pooling or backbone plugin, outside this repository: its parent is PoolLab's
 * plugin parent (from the local Maven repository, at this build's version), which makes the API provided, writes
 * the PF4J manifest and copies the jar to the project's {@code target/plugins/}; a working component to change
 * (an attention pooling written as the three {@code StagedPooling} steps, or a patch-embedding backbone); and a
 * test that runs the test kit's contract. The files are templates under {@code /scaffold/} on the class path.
 */
public final class PluginScaffold {

    /** What the plugin provides. */
    public enum Kind {
        /** A pooling: tokens to a vector (and a map). */
        POOLING("Pooling", "an attention pooling (describe your method here)"),
        /** A backbone: images to tokens. */
        BACKBONE("Backbone", "a patch-embedding backbone (describe your architecture here)");

        private final String classSuffix;
        private final String description;

        Kind(String classSuffix, String description) {
            this.classSuffix = classSuffix;
            this.description = description;
        }

        /** The word the CLI and experiment files use: {@code pooling} or {@code backbone}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    private final Kind kind;
    private final String id;
    private final String className;
    private final String packageName;

    /**
     * @param kind what the plugin provides
     * @param id the component's id and plugin id: lower-case letters, digits and dashes, starting with a letter
     * @throws IllegalArgumentException naming the rule when the id breaks it
     */
    public PluginScaffold(Kind kind, String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("the plugin name '" + id + "' must be 1-40 lower-case letters, digits "
                    + "or dashes, starting with a letter (it becomes the " + kind.word() + " id, e.g. 'my-"
                    + (kind == Kind.POOLING ? "pool" : "net") + "')");
        }
        this.kind = kind;
        this.id = id;
        StringBuilder camel = new StringBuilder();
        for (String part : id.split("-")) {
            if (!part.isEmpty()) {
                camel.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        this.className = camel + kind.classSuffix;
        this.packageName = "org.example." + id.replace("-", "");
    }

    /**
     * Writes the project into {@code folder} (created; it must not hold files yet).
     *
     * @return the files written
     * @throws IllegalStateException if the folder already holds files (nothing is overwritten)
     */
    public List<Path> write(Path folder) {
        try {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> entries = Files.list(folder)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalStateException(folder + " is not empty; give a new folder with --dir (nothing "
                                + "was written)");
                    }
                }
            }
            String sources = packageName.replace('.', '/');
            String templates = kind.word() + "/";
            Map<Path, String> files = new LinkedHashMap<>();
            files.put(Path.of("pom.xml"), fill("pom.xml"));
            files.put(Path.of("README.md"), fill("README.md"));
            files.put(Path.of("src/main/java", sources, className + ".java"), fill(templates + "Plugin.java"));
            files.put(Path.of("src/test/java", sources, className + "ContractTest.java"),
                    fill(templates + "ContractTest.java"));
            List<Path> written = new ArrayList<>();
            for (Map.Entry<Path, String> file : files.entrySet()) {
                Path target = folder.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
                written.add(target);
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plugin project into " + folder + " (" + e.getMessage()
                    + ")", e);
        }
    }

    private String fill(String template) throws IOException {
        String name = "/scaffold/" + template + ".txt";
        try (InputStream in = PluginScaffold.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the template " + name + " is missing from PoolLab's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@ID@", id)
                    .replace("@CLASS@", className).replace("@PACKAGE@", packageName).replace("@KIND@", kind.word())
                    .replace("@DESCRIPTION@", id + ": " + kind.description + ".").replace("@BUILD@", PoolLabApi.BUILD);
        }
    }
}

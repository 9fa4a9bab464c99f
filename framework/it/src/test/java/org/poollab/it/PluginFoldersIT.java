package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins from anywhere, through the CLI with the real jars: a lab's folder given with {@code --plugins} or
 * {@code POOLLAB_PLUGINS_PATH} is loaded beside the plugins directory, {@code plugins} says which folders it read,
 * a run uses a component from there; one plugin id in two folders leaves both jars out, named, and fails only
 * what uses it; a folder that does not exist is refused.
 */
class PluginFoldersIT {

    @RegisterExtension
    static final MlflowServerExtension SERVER = new MlflowServerExtension();

    @TempDir
    Path dir;

    /** A CLI whose plugins directory is empty: every component must come from the extra folders. */
    private Cli withoutShippedPlugins() throws Exception {
        return new Cli(dir, SERVER.uri()).with("POOLLAB_PLUGINS_DIR",
                Files.createDirectories(dir.resolve("empty")).toString());
    }

    @Test
    void aLabsFolderIsLoadedBesideThePluginsDirectoryAndARunUsesIt() throws Exception {
        Cli cli = withoutShippedPlugins();
        Cli.Result listed = cli.run("plugins", "--plugins", Project.PLUGINS.toString());
        assertEquals(0, listed.code(), listed.err());
        assertTrue(listed.out().contains("plugin folders read: " + dir.resolve("empty"))
                && listed.out().contains(Project.PLUGINS + " (--plugins"), listed.out());
        assertTrue(listed.out().contains("simpool  [pooling]"), listed.out());

        Path file = cli.experiment("""
                experiment: it-plugin-folders
                data: {trainSubset: 200, testSubset: 100}
                backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
                pooling: {id: gem}
                trainer: {epochs: 1, batchSize: 50}
                eval: {batchSize: 100, knn: {k: [10]}}
                """);
        Cli.Result run = cli.with("POOLLAB_PLUGINS_PATH", Project.PLUGINS.toString()).run("run", file.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("knn_top1_k10 = "), run.out());
    }

    @Test
    void onePluginIdInTwoFoldersLeavesBothOutNamingThemAndOnlyARunThatUsesItFails() throws Exception {
        Path lab = Files.createDirectories(dir.resolve("lab"));
        Files.copy(Project.PLUGINS.resolve("max.jar"), lab.resolve("my-max.jar"));
        Cli cli = new Cli(dir, SERVER.uri());
        Cli.Result listed = cli.run("plugins", "--plugins", lab.toString());
        assertEquals(0, listed.code(), "plugins always works: " + listed.err());
        assertTrue(listed.out().contains("FAILED plugin id 'max'") && listed.out().contains(lab.resolve("my-max.jar")
                .toString()) && listed.out().contains(Project.PLUGINS.resolve("max.jar").toString()), listed.out());
        assertTrue(listed.out().contains("simpool  [pooling]"), "the others load: " + listed.out());

        Path file = cli.experiment("experiment: e\npooling: {id: max}\n");
        Cli.Result usesIt = cli.run("validate", file.toString(), "--plugins", lab.toString());
        assertEquals(2, usesIt.code(), usesIt.err());
        assertTrue(usesIt.err().contains("unknown pooling 'max'") && usesIt.err().contains("my-max.jar"),
                usesIt.err());
        assertFalse(usesIt.err().contains("\tat "), "no stack trace: " + usesIt.err());
        Cli.Result other = cli.run("validate", file.toString(), "--set", "pooling.id=gap", "--plugins",
                lab.toString());
        assertEquals(0, other.code(), other.err());

        Cli.Result missing = new Cli(dir, SERVER.uri()).run("plugins", "--plugins", dir.resolve("nowhere").toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains(dir.resolve("nowhere") + " (from --plugins"), missing.err());
    }
}

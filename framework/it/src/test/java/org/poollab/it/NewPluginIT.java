package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins written outside this repository, as a lab would: {@code new-plugin} scaffolds a pooling or a backbone
 * project into a temporary folder, real Maven builds it (running the test kit's contract on it), and a run loads the
 * jar from the project's own folder with {@code --plugins}. A module copied with another's {@code plugin.id} fails
 * its build.
 */
class NewPluginIT {

    @RegisterExtension
    static final MlflowServerExtension SERVER = new MlflowServerExtension();

    @TempDir
    Path dir;

    @BeforeAll
    static void installPoolLabForPluginAuthors() throws Exception {
        // What './poollab setup' does for plugin authors: PoolLab's parents, API and test kit in the local repository.
        maven(Project.ROOT, "install", "-DskipTests", "-pl", ".,framework,framework/api,framework/testkit,plugins");
    }

    @Test
    void aScaffoldedPoolingBuildsWithMavenAndARunLoadsItFromTheProjectsFolder() throws Exception {
        Cli cli = new Cli(dir, SERVER.uri());
        Path project = scaffoldBuildAndRun(cli, "pooling", "lab-pool", "LabPoolPooling", """
                experiment: it-new-plugin
                data: {trainSubset: 200, testSubset: 100}
                backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
                pooling: {id: lab-pool}
                trainer: {epochs: 1, batchSize: 50}
                eval: {batchSize: 100, knn: {k: [10]}}
                """);

        Cli.Result again = cli.run("new-plugin", "pooling", "lab-pool", "--dir", project.toString());
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().contains("is not empty"), again.err());
        Cli.Result badName = cli.run("new-plugin", "pooling", "Lab_Pool", "--dir", dir.resolve("x").toString());
        assertEquals(2, badName.code(), badName.err());
        assertTrue(badName.err().contains("lower-case letters"), badName.err());
    }

    @Test
    void aScaffoldedBackboneBuildsWithMavenAndARunUsesItWithAShippedPooling() throws Exception {
        Cli cli = new Cli(dir, SERVER.uri());
        scaffoldBuildAndRun(cli, "backbone", "lab-net", "LabNetBackbone", """
                experiment: it-new-backbone
                data: {trainSubset: 200, testSubset: 100}
                backbone: {id: lab-net, params: {dim: 32}}
                pooling: {id: simpool}
                trainer: {epochs: 1, batchSize: 50}
                eval: {batchSize: 100, knn: {k: [10]}}
                """);
        Cli.Result unknownKind = cli.run("new-plugin", "trainer", "x", "--dir", dir.resolve("x").toString());
        assertEquals(2, unknownKind.code(), unknownKind.err());
        assertTrue(unknownKind.err().contains("must be pooling or backbone"), unknownKind.err());
    }

    /**
     * Scaffolds a plugin project, builds it with Maven (running its contract test) and runs an experiment with its
     * jar from the project's own folder.
     *
     * @param className the plugin's class, whose contract test the project must hold
     * @return the project folder
     */
    private Path scaffoldBuildAndRun(Cli cli, String kind, String name, String className, String experiment)
            throws Exception {
        Path project = dir.resolve(name);
        Cli.Result scaffolded = cli.run("new-plugin", kind, name, "--dir", project.toString());
        assertEquals(0, scaffolded.code(), scaffolded.err());
        String packageFolder = "src/test/java/org/example/" + name.replace("-", "") + "/";
        assertTrue(Files.exists(project.resolve(packageFolder + className + "ContractTest.java")), scaffolded.out());

        maven(project, "package"); // compiles, runs the contract test, packages
        Path plugins = project.resolve("target/plugins");
        assertTrue(Files.exists(plugins.resolve(name + ".jar")), "the jar lands in the project's target/plugins");

        Cli.Result run = cli.run("run", cli.experiment(experiment).toString(), "--plugins", plugins.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("knn_top1_k10 = ") && run.out().contains("attention_jaccard = "), run.out());
        return project;
    }

    @Test
    void aCopiedModuleThatKeepsAnotherModulesPluginIdFailsTheBuildInsteadOfReplacingItsJar() throws Exception {
        Path copy = dir.resolve("my-gap");
        Files.createDirectories(copy);
        try (var files = Files.walk(Project.ROOT.resolve("plugins/gap/src"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = copy.resolve(Project.ROOT.resolve("plugins/gap").relativize(file));
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        String pom = Files.readString(Project.ROOT.resolve("plugins/gap/pom.xml"))
                .replace("<artifactId>poollab-plugin-gap</artifactId>", "<artifactId>my-gap</artifactId>");
        assertTrue(pom.contains("<plugin.id>gap</plugin.id>") && pom.contains("<artifactId>my-gap</artifactId>"), pom);
        Files.writeString(copy.resolve("pom.xml"), pom);
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(Project.PLUGINS.resolve("gap.jar"), plugins.resolve("gap.jar"));
        byte[] shipped = Files.readAllBytes(plugins.resolve("gap.jar"));

        Build build = build(copy, "package", "-DskipTests", "-Dpoollab.plugins.dir=" + plugins);
        assertEquals(1, build.code(), build.output());
        assertTrue(build.output().contains("plugin.id 'gap' of my-gap is already used by another module")
                && build.output().contains(plugins.resolve("gap.jar").toString()), build.output());
        assertArrayEquals(shipped, Files.readAllBytes(plugins.resolve("gap.jar")), "the other module's jar is kept");
    }

    /** A finished Maven build: its exit code and its output. */
    private record Build(int code, String output) {
    }

    /** Runs Maven quietly in {@code folder}; fails the test with its output if it fails. */
    private static void maven(Path folder, String... goals) throws IOException, InterruptedException {
        Build build = build(folder, goals);
        assertEquals(0, build.code(), "mvn " + String.join(" ", goals) + " in " + folder + ":\n" + build.output());
    }

    /**
     * Runs Maven quietly in {@code folder}. Not offline: on a fresh machine the test command's own build
     * ({@code verify}) has not needed the install plugin yet.
     */
    private static Build build(Path folder, String... goals) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mvn", "-q", "-B"));
        command.addAll(List.of(goals));
        Path log = Files.createTempFile("poollab-maven", ".log");
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "mvn " + String.join(" ", goals) + " timed out");
        return new Build(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}

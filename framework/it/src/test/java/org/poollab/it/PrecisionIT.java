package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;

/**
 * {@code trainer.precision: bf16-matmul} through the CLI: where the CPU has AMX the JVM asks Linux for it before
 * ND4J starts and trains on it (without the permission it would die of SIGILL at the first product); elsewhere,
 * and with {@code -Dpoollab.amx=off}, it trains in fp32 and says why. The run's tag records what ran.
 */
class PrecisionIT {

    @RegisterExtension
    static final MlflowServerExtension SERVER = new MlflowServerExtension();

    private static final String EXPERIMENT = """
            experiment: %s
            data: {trainSubset: 600, testSubset: 200}
            backbone: {id: vit, preset: fmnist-tiny, params: {depth: 1}}
            pooling: {id: simpool}
            trainer: {epochs: 1, batchSize: 50, precision: bf16-matmul}
            eval: {batchSize: 200, knn: {k: [20]}}
            """;

    @TempDir
    Path dir;

    private static boolean cpuHasAmx() throws IOException {
        String flags = " " + Files.readString(Path.of("/proc/cpuinfo")).replace('\n', ' ') + " ";
        return flags.contains(" amx_bf16 ") && flags.contains(" amx_tile ");
    }

    private static String precisionTag(String experiment) {
        try (MlflowClient client = new MlflowClient(SERVER.uri())) {
            String id = client.getExperimentByName(experiment).orElseThrow().getExperimentId();
            return client.getRun(client.listRunInfos(id).get(0).getRunId()).getData().getTagsList().stream()
                    .filter(tag -> tag.getKey().equals("precision")).map(RunTag::getValue).findFirst().orElseThrow();
        }
    }

    private static double knnTop1(Cli.Result result) {
        Matcher top1 = Pattern.compile("knn_top1_k20 = ([0-9.]+)").matcher(result.out());
        assertTrue(top1.find(), result.out());
        return Double.parseDouble(top1.group(1));
    }

    @Test
    void bf16MatmulTrainsOnAmxWhereTheCpuHasItAndInFp32WithTheReasonElsewhere() throws Exception {
        Cli cli = new Cli(dir.resolve("on"), SERVER.uri());
        Files.createDirectories(dir.resolve("on"));
        Cli.Result result = cli.run("run", cli.experiment(EXPERIMENT.formatted("it-bf16")).toString());
        assertEquals(0, result.code(), result.err());
        assertTrue(knnTop1(result) > 30, "k-NN top-1 " + knnTop1(result) + " is not above chance");
        boolean amx = cpuHasAmx();
        assertEquals(amx ? "bf16-matmul" : "fp32", precisionTag("it-bf16"));
        assertEquals(!amx, result.err().contains("training in fp32"), result.err());
    }

    @Test
    void withAmxSwitchedOffTheRunIsFp32AndSaysSo() throws Exception {
        List<String> options = new ArrayList<>(Cli.MEMORY_CAPS);
        options.add("-Dpoollab.amx=off");
        Files.createDirectories(dir.resolve("off"));
        Cli cli = new Cli(dir.resolve("off"), SERVER.uri(), options);
        Cli.Result result = cli.run("run", cli.experiment(EXPERIMENT.formatted("it-bf16-off")).toString());
        assertEquals(0, result.code(), result.err());
        assertTrue(result.err().contains("trainer.precision is bf16-matmul, but AMX is switched off")
                && result.err().contains("training in fp32"), result.err());
        assertEquals("fp32", precisionTag("it-bf16-off"));
        assertTrue(knnTop1(result) > 30, "k-NN top-1 " + knnTop1(result) + " is not above chance");
    }
}

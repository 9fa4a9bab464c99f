package org.poollab.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.poollab.config.ExperimentConfig;
import org.poollab.data.DataSource;
import org.poollab.eval.Evaluation;
import org.poollab.hash.Sha256;
import org.poollab.interop.ImportRecord;
import org.poollab.plugin.ComponentRegistry;
import org.poollab.plugin.PluginProvenance;
import org.poollab.tracking.MlflowRun;
import org.poollab.train.AttentionArtifact;
import org.poollab.train.Checkpoint;
import org.poollab.train.RunCheckpoints;

/**
 * {@code poollab eval}: a checkpoint's model evaluated without training, as its own MLflow run in the checkpoint's
 * experiment (tag {@value #KIND_TAG} = {@value #KIND}). Params: the checkpoint, its SHA-256, the file it was
 * imported from (if it was) and the config it is evaluated with; metrics as a training run's evaluation logs them
 * (step 0); the attention grid as an artifact when the pooling has a map.
 */
public final class CheckpointEvaluation {

    /** The tag that tells evaluation runs from training runs. */
    public static final String KIND_TAG = "poollab.kind";
    /** Its value for evaluation runs. */
    public static final String KIND = "eval";

    private final ComponentRegistry registry;
    private final ProjectPaths paths;
    private final PrintStream out;

    /**
     * @param registry the loaded plugins
     * @param paths project folders
     * @param out where results are printed (stdout)
     */
    public CheckpointEvaluation(ComponentRegistry registry, ProjectPaths paths, PrintStream out) {
        this.registry = registry;
        this.paths = paths;
        this.out = out;
    }

    /**
     * Evaluates the checkpoint, prints the metrics one per line and the run's URL.
     *
     * @param overrides {@code dotted.key=value} changes to the checkpoint's config (data set, eval settings)
     * @return the metrics
     */
    public Map<String, Double> run(Path checkpointFile, List<String> overrides, Protocols protocols) {
        Checkpoint checkpoint = CheckpointModel.read(checkpointFile);
        List<String> settings = new ArrayList<>(overrides);
        boolean configured = RunCheckpoints.config(checkpoint, overrides).eval().linear().isPresent();
        boolean linear = protocols.linear() || !protocols.knn() && configured;
        if (linear && !configured) {
            settings.add("eval.linear={}"); // the probe with its defaults
        } else if (!linear && configured) {
            settings.add("eval.linear=null"); // k-NN alone, as asked
        }
        CheckpointModel loaded = CheckpointModel.of(registry, checkpointFile, checkpoint, settings);
        ExperimentConfig config = loaded.config();
        boolean knn = protocols.knn() || !protocols.linear();
        String uri = paths.trackingUri(config.tracking());
        out.println("MLflow: " + uri);
        String name = "eval " + checkpointFile.getFileName() + " " + RunLauncher.runName(config);
        try (MlflowRun run = MlflowRun.start(uri, config.experiment(), name, Map.of(KIND_TAG, KIND),
                paths.journal())) {
            try {
                run.logParams(params(loaded));
                PluginProvenance installed = PluginProvenance.of(registry, config);
                run.setTags(RunProvenance.tags(config, installed));
                // Evaluating with other plugin code than trained is allowed (it is what a changed plugin is
                // checked with), but said and tagged.
                RunProvenance.tagAcceptedChanges(run, installed, RunProvenance.pluginChanges(
                        RunCheckpoints.plugins(checkpoint), installed, true, run.runId()), out);
                DataSource data = DataSource.load(config.data(), config.seed(), System.err);
                Evaluation evaluation = new Evaluation(config, System.err);
                Map<String, Double> metrics = evaluation.evaluate(loaded.model(), data.train(), data.test(), knn);
                run.logMetrics(0, metrics);
                AttentionArtifact.log(evaluation, loaded.model(), data.test(),
                        paths.evaluations().resolve(run.runId()), run);
                run.finish();
                metrics.forEach((k, v) -> out.printf(Locale.ROOT, "%s = %.2f%n", k, v));
                out.println("MLflow run: " + run.url());
                return metrics;
            } catch (RuntimeException e) {
                run.fail(String.valueOf(e.getMessage()));
                out.println("MLflow run (FAILED): " + run.url());
                throw e;
            }
        }
    }

    /**
     * The evaluations asked for ({@code --knn}, {@code --linear}): one flag runs that one alone, both run both,
     * neither runs k-NN plus the probe if the config has {@code eval.linear}. The probe takes its defaults when the
     * config has none.
     *
     * @param knn the k-NN scores
     * @param linear the linear probe
     */
    public record Protocols(boolean knn, boolean linear) {
    }

    private static Map<String, String> params(CheckpointModel loaded) {
        Map<String, String> params = new LinkedHashMap<>(loaded.config().flattened());
        params.putAll(loaded.spec().flattenedParams());
        params.put("eval.checkpoint", loaded.file().toAbsolutePath().normalize().toString());
        try {
            params.put("eval.checkpoint.sha256", Sha256.of(loaded.file()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + loaded.file() + ": " + e.getMessage(), e);
        }
        ImportRecord.read(loaded.checkpoint()).ifPresent(imported -> {
            params.put("eval.source", imported.source());
            params.put("eval.source.sha256", imported.sha256());
        });
        return params;
    }
}

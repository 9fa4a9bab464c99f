package org.poollab.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.poollab.config.ExperimentConfig;
import org.poollab.model.MatrixUnits;
import org.poollab.model.ModelSpec;
import org.poollab.plugin.PluginLoadException;
import org.poollab.plugin.PluginProvenance;
import org.poollab.tracking.MlflowRun;

/**
 * What produced a run and where, so that a result can be traced and repeated: the tags of every run, sweep and
 * benchmark (built here only, so they agree), the params and config a run logs at its start, and the check that a
 * resumed run continues with the plugin code it started with.
 */
public final class RunProvenance {

    /** Tag set on a resumed run that was allowed to continue with changed plugin jars. */
    static final String PLUGIN_CHANGED_TAG = "plugin.changed";

    private RunProvenance() {
    }

    /**
     * The machine and build: {@code git.commit}, {@code host}, {@code nd4j.natives} and {@code omp.threads}, as every
     * run, sweep and benchmark records them.
     */
    public static Map<String, String> environment() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("git.commit", GitCommit.current());
        tags.put("host", LocalHost.name().orElse("unknown"));
        tags.put("nd4j.natives", NativeBuild.current());
        String threads = System.getenv("OMP_NUM_THREADS"); // results depend on it in the last bits
        tags.put("omp.threads", threads == null || threads.isBlank() ? "default" : threads);
        return tags;
    }

    /**
     * @return {@code trainer}, {@code replicas}, {@code precision} (what ran: fp32 where bf16-matmul found no AMX),
     *     the plugins' {@link PluginProvenance#tags} and the {@link #environment}
     */
    static Map<String, String> tags(ExperimentConfig config, PluginProvenance plugins) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("trainer", config.trainer().id());
        tags.put("replicas", Integer.toString(config.trainer().replicaCount())); // what trainer.replicas: auto chose
        tags.put("precision", MatrixUnits.effective(config.trainer().precision()).id());
        tags.putAll(plugins.tags());
        tags.putAll(environment());
        return tags;
    }

    /**
     * Logs what a new run is: its config and the plugins' resolved parameters as params, its {@link #tags}, and
     * the experiment file as an artifact.
     */
    static void logStart(MlflowRun run, ExperimentConfig config, ModelSpec spec, PluginProvenance plugins,
                         Path experimentFile) {
        Map<String, String> params = new LinkedHashMap<>(config.flattened());
        params.putAll(spec.flattenedParams());
        run.logParams(params);
        run.setTags(tags(config, plugins));
        run.logArtifact(experimentFile, "config/" + experimentFile.getFileName());
    }

    /**
     * Checks that a run resumes with the plugin code it was trained with, before anything is resumed. Another jar (a
     * new version, or the same version rebuilt) can initialise, name or compute differently, so the continued run
     * would not be the run that started; it is refused unless the user accepts the change.
     *
     * @param recorded the plugins of the checkpoint (empty for one written before PoolLab recorded them)
     * @param installed the plugins the resume would use
     * @param acceptChange whether the user accepted changed plugins ({@code --accept-plugin-change})
     * @param runId the run, for the message
     * @return the accepted changes, one line per component (empty if the code is the same)
     * @throws PluginLoadException naming each change and the two ways on, if the code changed and is not accepted
     */
    static List<String> pluginChanges(Optional<PluginProvenance> recorded, PluginProvenance installed,
                                      boolean acceptChange, String runId) {
        List<String> changes = recorded.map(before -> before.changesTo(installed)).orElse(List.of());
        if (!changes.isEmpty() && !acceptChange) {
            throw new PluginLoadException("run " + runId + " was trained with other plugin code than is installed "
                    + "now: " + String.join("; ", changes) + ". Install the recorded jar to resume the same run, or "
                    + "pass --accept-plugin-change to continue with the installed one (the run is then tagged "
                    + PLUGIN_CHANGED_TAG + ")");
        }
        return changes;
    }

    /** Prints accepted plugin changes and tags the run with them and with the plugins it now runs with. */
    static void tagAcceptedChanges(MlflowRun run, PluginProvenance installed, List<String> changes,
                                   PrintStream out) {
        if (changes.isEmpty()) {
            return;
        }
        changes.forEach(change -> out.println("warning: the plugin code changed since training: " + change));
        Map<String, String> tags = new LinkedHashMap<>(installed.tags());
        tags.put(PLUGIN_CHANGED_TAG, String.join("; ", changes));
        run.setTags(tags);
    }
}

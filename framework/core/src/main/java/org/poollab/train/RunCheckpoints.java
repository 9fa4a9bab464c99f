package org.poollab.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.config.ExperimentConfig;
import org.poollab.config.ExperimentLoader;
import org.poollab.data.DataException;
import org.poollab.model.ModelSpec;
import org.poollab.plugin.PluginProvenance;

/**
 * The checkpoints of a run: {@code <run folder>/epoch-NNN.zip} at the end of epoch NNN, and
 * {@code epoch-NNN-step-SSSSS.zip} where a process asked to end stopped SSSSS steps into the epoch after NNN
 * (replaced by that epoch's checkpoint once it is written). Each carries the experiment file, the
 * run's exact config as {@code key = value} lines (sweep values and overrides applied; reads back with
 * {@link #config}), the plugins' resolved parameters, the plugin jars (id, version, SHA-256) and the step counters,
 * next to the trainer's arrays.
 */
public final class RunCheckpoints {

    /** The entry holding the run's config, one {@code key = value} per line. */
    static final String CONFIG = "run-config.properties";
    /** The entry holding the experiment file's text. */
    public static final String EXPERIMENT_FILE = "config.yaml";
    /** The entry holding the plugins' resolved parameters, one {@code key = value} per line. */
    static final String PLUGIN_PARAMS = "plugin-params.properties";
    private static final String PLUGINS = "plugins.properties";
    private static final String STATE = "state.properties";
    private static final String EPOCHS_DONE = "epochsDone";
    private static final String STEPS_INTO_EPOCH = "stepsIntoEpoch";
    private static final Pattern CHECKPOINT_NAME = Pattern.compile("epoch-(\\d{3,})(?:-step-(\\d+))?\\.zip");

    private RunCheckpoints() {
    }

    /**
     * A checkpoint with the run's texts; the trainer adds its arrays.
     *
     * @param epochsDone epochs completed
     * @param stepsIntoEpoch steps of the next epoch completed (0 at an epoch's end)
     * @param nextStep the global step training would continue from
     */
    public static Checkpoint start(TrainingRun run, int epochsDone, int stepsIntoEpoch, int nextStep) {
        return new Checkpoint()
                .text(EXPERIMENT_FILE, run.configText())
                .text(CONFIG, lines(run.config().flattened()))
                .text(PLUGIN_PARAMS, lines(run.spec().flattenedParams()))
                .text(PLUGINS, lines(run.plugins().properties()))
                .text(STATE, EPOCHS_DONE + "=" + epochsDone + "\n" + STEPS_INTO_EPOCH + "=" + stepsIntoEpoch
                        + "\nnextStep=" + nextStep + "\nseed="
                        + run.config().seed() + "\n# data order and augmentation are seeded by (seed, epoch)\n");
    }

    /**
     * A checkpoint of a model alone, without training state (imported weights): its config and weights, which
     * every command that evaluates or exports a model reads.
     *
     * @param plugins the plugin jars of the model's components
     * @param weights every weight of the model's graph by name
     */
    public static Checkpoint ofModel(ExperimentConfig config, ModelSpec spec, PluginProvenance plugins,
                                     Map<String, INDArray> weights) {
        return new Checkpoint()
                .text(CONFIG, lines(config.flattened()))
                .text(PLUGIN_PARAMS, lines(spec.flattenedParams()))
                .text(PLUGINS, lines(plugins.properties()))
                .arrays(SupervisedTrainer.MODEL, weights);
    }

    /**
     * Writes the checkpoint after {@code epochsDone} epochs and {@code stepsIntoEpoch} steps of the next atomically;
     * an epoch's checkpoint replaces the ones written inside it.
     *
     * @return the file
     * @throws UncheckedIOException naming the folder and the fix
     */
    public static Path write(TrainingRun run, Checkpoint checkpoint, int epochsDone, int stepsIntoEpoch) {
        String name = String.format(Locale.ROOT, "epoch-%03d", epochsDone)
                + (stepsIntoEpoch > 0 ? String.format(Locale.ROOT, "-step-%05d", stepsIntoEpoch) : "") + ".zip";
        Path file = run.checkpoints().resolve(name);
        try {
            checkpoint.write(file);
            if (stepsIntoEpoch == 0) {
                for (Path inside : newestFirst(run.checkpoints())) {
                    if (position(inside).epochsDone() == epochsDone - 1 && position(inside).stepsIntoEpoch() > 0) {
                        Files.delete(inside);
                    }
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + file + " (" + e.getMessage() + "); free "
                    + "disk space or set POOLLAB_HOME", e);
        }
    }

    /**
     * Records that the evaluation after {@code epochsDone} epochs was logged (a marker file beside the checkpoint),
     * so that a resume knows whether the run stopped during it.
     */
    public static void markEvaluated(TrainingRun run, int epochsDone) {
        try {
            Files.createDirectories(run.checkpoints());
            Files.writeString(run.checkpoints().resolve(evaluatedMarker(epochsDone)), "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + run.checkpoints().resolve(evaluatedMarker(epochsDone))
                    + " (" + e.getMessage() + "); free disk space or set POOLLAB_HOME", e);
        }
    }

    /** Whether the evaluation after {@code epochsDone} epochs was logged ({@link #markEvaluated}). */
    public static boolean evaluated(TrainingRun run, int epochsDone) {
        return Files.exists(run.checkpoints().resolve(evaluatedMarker(epochsDone)));
    }

    private static String evaluatedMarker(int epochsDone) {
        return String.format(Locale.ROOT, "epoch-%03d.evaluated", epochsDone);
    }

    /**
     * The config a checkpoint was trained with.
     *
     * @throws DataException if the checkpoint has no config entry
     */
    public static ExperimentConfig config(Checkpoint checkpoint) {
        return config(checkpoint, List.of());
    }

    /**
     * The config a checkpoint was trained with, changed by {@code overrides} (e.g. another data set to evaluate
     * on). The plugins' parameters are the values the run resolved, each written out: a plugin installed later
     * with other defaults or presets does not change the model a checkpoint describes.
     *
     * @param overrides {@code dotted.key=value}, as {@code --set} takes them
     * @throws org.poollab.config.ConfigException naming an override that is not valid
     */
    public static ExperimentConfig config(Checkpoint checkpoint, List<String> overrides) {
        List<String> settings = new ArrayList<>(settings(configText(checkpoint)));
        // PoolLab wrote a parameter without value as "null" before it wrote "none", which settings read back.
        checkpoint.text(PLUGIN_PARAMS).ifPresent(params -> settings(params).forEach(setting ->
                settings.add(setting.endsWith("=null") ? setting.replaceFirst("=null$", "=none") : setting)));
        settings.addAll(overrides);
        return ExperimentLoader.fromSettings(settings);
    }

    /**
     * The plugin jars a checkpoint's model was built with.
     *
     * @return empty for a checkpoint written before PoolLab recorded them
     */
    public static Optional<PluginProvenance> plugins(Checkpoint checkpoint) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String setting : settings(checkpoint.text(PLUGINS).orElse(""))) {
            int separator = setting.indexOf('=');
            values.put(setting.substring(0, separator), setting.substring(separator + 1));
        }
        return PluginProvenance.parse(values);
    }

    /** A checkpoint's config text ({@code key = value} lines) as {@code key=value} settings. */
    public static List<String> settings(String configText) {
        List<String> settings = new ArrayList<>();
        for (String line : configText.split("\n")) {
            int separator = line.indexOf(" = ");
            if (separator > 0) {
                settings.add(line.substring(0, separator) + "=" + line.substring(separator + 3));
            }
        }
        return settings;
    }

    /** A checkpoint's config text, as {@link #settings} reads it. */
    public static String configText(Checkpoint checkpoint) {
        return checkpoint.text(CONFIG).orElseThrow(() -> new DataException(
                "the checkpoint has no " + CONFIG + " (written by an older PoolLab)"));
    }

    /** The first epoch a run trains: 0, or the epochs its resume checkpoint had completed. */
    public static int firstEpoch(TrainingRun run) {
        return run.resumeFrom().map(RunCheckpoints::epochsDone).orElse(0);
    }

    /**
     * Epochs completed when the checkpoint was written.
     *
     * @throws DataException if the checkpoint has no readable state entry
     */
    public static int epochsDone(Checkpoint checkpoint) {
        return state(checkpoint, EPOCHS_DONE).orElseThrow(() -> new DataException("the checkpoint's " + STATE
                + " does not say how many epochs were done: " + checkpoint.text(STATE).orElse("")));
    }

    /** Steps of the epoch after {@link #epochsDone} that were done (0 for a checkpoint written at an epoch's end). */
    public static int stepsIntoEpoch(Checkpoint checkpoint) {
        return state(checkpoint, STEPS_INTO_EPOCH).orElse(0);
    }

    private static Optional<Integer> state(Checkpoint checkpoint, String key) {
        for (String line : checkpoint.text(STATE).orElse("").split("\n")) {
            if (line.startsWith(key + "=")) {
                try {
                    return Optional.of(Integer.parseInt(line.substring(key.length() + 1).trim()));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The newest checkpoint of a run folder (the furthest into training).
     *
     * @return empty if the folder has none
     */
    public static Optional<Path> latest(Path runFolder) throws IOException {
        return newestFirst(runFolder).stream().findFirst();
    }

    /** The checkpoints of a run folder, newest first (empty if there is none). */
    public static List<Path> newestFirst(Path runFolder) throws IOException {
        if (!Files.isDirectory(runFolder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(runFolder)) {
            return files.filter(file -> CHECKPOINT_NAME.matcher(file.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(RunCheckpoints::position, Position.ORDER).reversed()).toList();
        }
    }

    /** Where in training a checkpoint file was written, from its name. */
    static Position position(Path file) {
        Matcher name = CHECKPOINT_NAME.matcher(file.getFileName().toString());
        if (!name.matches()) {
            throw new IllegalArgumentException(file + " is not a checkpoint's name");
        }
        int steps = name.group(2) == null ? 0 : Integer.parseInt(name.group(2));
        return new Position(Integer.parseInt(name.group(1)), steps);
    }

    /**
     * A point in training.
     *
     * @param epochsDone epochs completed
     * @param stepsIntoEpoch steps of the next epoch completed
     */
    record Position(int epochsDone, int stepsIntoEpoch) {

        /** Earlier first. */
        static final Comparator<Position> ORDER = Comparator.comparingInt(Position::epochsDone)
                .thenComparingInt(Position::stepsIntoEpoch);
    }

    /**
     * The newest checkpoint of a run folder that reads back intact; a damaged newer one is reported (by name,
     * with what is wrong) and passed over, since resuming one epoch earlier loses less than not resuming.
     *
     * @param warnings where a passed-over checkpoint is reported
     * @return empty if the folder has no checkpoint
     * @throws DataException if every checkpoint is damaged
     */
    public static Optional<Loaded> newestIntact(Path runFolder, PrintStream warnings) throws IOException {
        List<Path> files = newestFirst(runFolder);
        List<String> damaged = new ArrayList<>();
        for (Path file : files) {
            try {
                Checkpoint checkpoint = Checkpoint.read(file);
                if (!damaged.isEmpty()) {
                    warnings.println("warning: resuming from the older " + file.getFileName() + " instead");
                }
                return Optional.of(new Loaded(file, checkpoint));
            } catch (CorruptCheckpointException e) {
                warnings.println("warning: " + e.getMessage());
                damaged.add(e.getMessage());
            }
        }
        if (!damaged.isEmpty()) {
            throw new DataException("every checkpoint in " + runFolder + " is damaged, so the run cannot be resumed: "
                    + String.join("; ", damaged) + "; start it again with 'poollab run'");
        }
        return Optional.empty();
    }

    /**
     * A checkpoint read from its file.
     *
     * @param file where it was read from
     * @param checkpoint its contents
     */
    public record Loaded(Path file, Checkpoint checkpoint) {
    }

    private static String lines(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
        return out.toString();
    }
}

package org.poollab.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Loads an experiment file safely (plain YAML types only, bounded aliases, size limit), applies
 * {@code --set a.b=v} overrides and validates the result.
 */
public final class ExperimentLoader {

    /** Experiment files are a few hundred bytes; anything this large is a mistake or an attack. */
    static final long MAX_FILE_BYTES = 256 * 1024;

    private static final String SWEEP = "sweep";

    private ExperimentLoader() {
    }

    /**
     * @param file the experiment file
     * @param overrides {@code dotted.key=value} strings; values are parsed as YAML scalars or flow lists
     * @throws ConfigException naming the file, the YAML path and the fix
     */
    public static ExperimentConfig load(Path file, List<String> overrides) {
        ExperimentPlan plan = plan(file, overrides);
        if (plan.isSweep()) {
            throw new ConfigException("sweep", file + " declares a sweep of " + plan.points().size() + " runs; this "
                    + "command takes a single experiment: remove the sweep section, or use 'poollab run'");
        }
        return plan.points().get(0).config();
    }

    /**
     * A config from {@code dotted.key=value} settings alone (e.g. a run's logged params read back from a
     * checkpoint), every other key at its default.
     *
     * @throws ConfigException naming the key
     */
    public static ExperimentConfig fromSettings(List<String> settings) {
        Object parsed = new LinkedHashMap<String, Object>();
        for (String setting : settings) {
            parsed = applyOverride(parsed, setting);
        }
        return ExperimentReader.read(parsed);
    }

    /**
     * Loads an experiment and expands its optional {@code sweep} grid (dotted key to list of values) into one
     * validated config per grid point, in declaration order with the last key varying fastest.
     *
     * @throws ConfigException naming the file, the YAML path and the fix
     */
    @SuppressWarnings("unchecked")
    public static ExperimentPlan plan(Path file, List<String> overrides) {
        String text = readText(file);
        Object parsed = parse(text, file.toString());
        for (String override : overrides) {
            parsed = applyOverride(parsed, override);
        }
        if (!(parsed instanceof Map<?, ?> map) || !map.containsKey(SWEEP)) {
            return new ExperimentPlan(text, overrides, Map.of(),
                    List.of(new SweepPoint(Map.of(), ExperimentReader.read(parsed))));
        }
        Map<String, Object> root = deepCopy(map);
        Object section = root.remove(SWEEP);
        Map<String, List<Object>> grid = Sweep.grid(section);
        List<Sweep.Rule> rules = Sweep.rules(section, grid);
        List<SweepPoint> points = new ArrayList<>();
        for (Map<String, Object> assignment : Sweep.points(grid, Sweep.exclusions(section, grid))) {
            Object point = root;
            for (Map.Entry<String, Object> entry : assignment.entrySet()) {
                point = set(point, entry.getKey(), entry.getValue());
            }
            for (Sweep.Rule rule : rules) {
                if (Sweep.matches(assignment, rule.match())) {
                    for (Map.Entry<String, Object> entry : rule.set().entrySet()) {
                        point = set(point, entry.getKey(), entry.getValue());
                    }
                }
            }
            points.add(new SweepPoint(assignment, ExperimentReader.read(point)));
        }
        if (points.isEmpty()) {
            throw new ConfigException("sweep.exclude", "leaves no run of the grid " + grid + "; exclude fewer points");
        }
        return new ExperimentPlan(text, overrides, grid, points);
    }

    private static String readText(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("", "experiment file " + file + " does not exist; pass a path such as "
                        + "experiments/quickstart.yaml");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException("", "experiment file " + file + " is " + Files.size(file)
                        + " bytes; the limit is " + MAX_FILE_BYTES);
            }
            return Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("", "cannot read " + file + ": " + e.getMessage());
        }
    }

    static Object parse(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit((int) MAX_FILE_BYTES);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        try {
            return yaml.load(text);
        } catch (YAMLException e) {
            String detail = e.getMessage() == null ? e.toString() : e.getMessage().replaceAll("\\s+", " ").trim();
            throw new ConfigException("", source + " is not valid YAML: " + detail);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object applyOverride(Object parsed, String override) {
        int equals = override.indexOf('=');
        if (equals <= 0) {
            throw new ConfigException("", "--set expects key=value (e.g. --set trainer.epochs=2), got '"
                    + override + "'");
        }
        String path = override.substring(0, equals).trim();
        return set(parsed, path, parse(override.substring(equals + 1), "--set " + path));
    }

    /** A copy of {@code parsed} with the dotted {@code path} set to {@code value}. */
    @SuppressWarnings("unchecked")
    private static Object set(Object parsed, String path, Object value) {
        Map<String, Object> root = parsed instanceof Map<?, ?> ? deepCopy((Map<?, ?>) parsed)
                : new LinkedHashMap<>();
        Map<String, Object> node = root;
        String[] keys = path.split("\\.");
        for (int i = 0; i < keys.length - 1; i++) {
            Object child = node.get(keys[i]);
            if (child == null) {
                child = new LinkedHashMap<String, Object>();
                node.put(keys[i], child);
            } else if (!(child instanceof Map<?, ?>)) {
                throw new ConfigException(String.join(".", java.util.Arrays.copyOf(keys, i + 1)),
                        "is a value, so " + path + " cannot be set inside it");
            }
            node = (Map<String, Object>) child;
        }
        node.put(keys[keys.length - 1], value);
        return root;
    }

    /** A copy of nested maps; YAML keys may be numbers or booleans, so they are read as objects. */
    private static Map<String, Object> deepCopy(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v instanceof Map<?, ?> m ? deepCopy(m) : v));
        return copy;
    }
}

package org.poollab.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.poollab.config.ConfigException;
import org.poollab.config.ExperimentPlan;
import org.poollab.data.DataException;

/**
 * What a stopped sweep needs to be continued: its experiment file and the {@code --set} overrides it was started
 * with, kept in {@code <sweeps>/<parent run id>/} (the file under its own name, the overrides one per line in
 * {@code overrides.txt}).
 *
 * @param experimentFile the copy of the sweep's experiment file
 * @param overrides the overrides, in order
 */
public record SweepRecord(Path experimentFile, List<String> overrides) {

    private static final String OVERRIDES = "overrides.txt";

    /** Copies the list. */
    public SweepRecord {
        overrides = List.copyOf(overrides);
    }

    /**
     * Writes the record of a sweep that is starting.
     *
     * @param sweeps the folder of all sweep records
     * @param experimentFile the file the plan was read from
     * @throws DataException if the folder cannot be written
     */
    static void save(Path sweeps, String parentRunId, Path experimentFile, ExperimentPlan plan) {
        Path folder = sweeps.resolve(parentRunId);
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(experimentFile.getFileName()), plan.text());
            Files.write(folder.resolve(OVERRIDES), plan.overrides());
        } catch (IOException e) {
            throw new DataException("cannot write the sweep's record to " + folder + " (" + e.getMessage()
                    + "); check that POOLLAB_HOME is writable");
        }
    }

    /**
     * The record of a sweep, if {@code parentRunId} names one.
     *
     * @throws ConfigException if the record is damaged
     */
    public static Optional<SweepRecord> find(Path sweeps, String parentRunId) throws IOException {
        Path folder = sweeps.resolve(parentRunId);
        if (parentRunId.isBlank() || parentRunId.contains("/") || !Files.isDirectory(folder)) {
            return Optional.empty();
        }
        List<Path> files;
        try (var listing = Files.list(folder)) {
            // Regular files only: a Slurm sweep keeps its batch script in a folder beside them.
            files = listing.filter(file -> Files.isRegularFile(file)
                    && !file.getFileName().toString().equals(OVERRIDES)).toList();
        }
        if (files.size() != 1 || !Files.isRegularFile(folder.resolve(OVERRIDES))) {
            throw new ConfigException("", "the sweep record " + folder + " should hold the experiment file and "
                    + OVERRIDES + " but holds " + files + "; restore it, or start the sweep again with 'poollab run'");
        }
        return Optional.of(new SweepRecord(files.get(0), Files.readAllLines(folder.resolve(OVERRIDES))));
    }
}

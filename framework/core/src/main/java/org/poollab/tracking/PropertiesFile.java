package org.poollab.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * A small state file that other processes read while this one may be writing it (the local server's record, a
 * run's process record): written to a temporary file and moved into place, so a reader, or a kill at the wrong
 * moment, never sees half of it.
 */
public final class PropertiesFile {

    private PropertiesFile() {
    }

    /** The file's properties; empty when it is missing or cannot be read. */
    public static Optional<Properties> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
            return Optional.of(properties);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Replaces {@code file} with {@code properties} in one atomic move. */
    public static void write(Path file, Properties properties, String comment) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            properties.store(out, comment);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

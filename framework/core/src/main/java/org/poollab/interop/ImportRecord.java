package org.poollab.interop;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;
import org.poollab.train.Checkpoint;

/**
 * Where an imported checkpoint's weights came from, kept in it as {@value #ENTRY}: the source file, its SHA-256
 * and the key read, so that an evaluation of it names the original file.
 *
 * @param source the file imported (absolute path)
 * @param sha256 its SHA-256
 * @param key the checkpoint key the model was read from ({@code teacher}, ...), empty for the top level
 */
public record ImportRecord(String source, String sha256, String key) {

    /** The checkpoint entry. */
    static final String ENTRY = "import.properties";

    /** The record of a checkpoint written by {@code poollab import}; empty for one written by training. */
    public static Optional<ImportRecord> read(Checkpoint checkpoint) {
        return checkpoint.text(ENTRY).map(text -> {
            Properties properties = new Properties();
            try {
                properties.load(new StringReader(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a String reader does not fail
            }
            return new ImportRecord(properties.getProperty("source", ""), properties.getProperty("sha256", ""),
                    properties.getProperty("key", ""));
        });
    }

    /** Adds this record to a checkpoint. */
    Checkpoint addTo(Checkpoint checkpoint) {
        Properties properties = new Properties();
        properties.setProperty("source", source);
        properties.setProperty("sha256", sha256);
        properties.setProperty("key", key);
        StringWriter text = new StringWriter();
        try {
            properties.store(text, "written by poollab import");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String writer does not fail
        }
        return checkpoint.text(ENTRY, text.toString());
    }
}

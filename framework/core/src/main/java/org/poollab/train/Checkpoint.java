package org.poollab.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training checkpoint: groups of named arrays (ND4J's binary format, one zip entry per array as
 * {@code group/name.bin}) plus text entries (the config, step, seeds). Written to a temporary file in the same
 * folder and moved into place atomically, so a crash never leaves a half-written checkpoint under the final name.
 */
public final class Checkpoint {

    private final Map<String, Map<String, INDArray>> groups = new LinkedHashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();

    /**
     * Reads a checkpoint written by {@link #write}.
     *
     * @throws IOException if the file is missing or not a checkpoint
     */
    public static Checkpoint read(Path file) throws IOException {
        Checkpoint checkpoint = new Checkpoint();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                try (InputStream in = zip.getInputStream(entry)) {
                    int slash = name.indexOf('/');
                    if (name.endsWith(".bin") && slash > 0) {
                        String array = name.substring(slash + 1, name.length() - ".bin".length());
                        checkpoint.groups.computeIfAbsent(name.substring(0, slash), g -> new LinkedHashMap<>())
                                .put(array, Nd4j.read(new DataInputStream(in)));
                    } else {
                        checkpoint.texts.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return checkpoint;
    }

    /** The arrays of a group (empty if absent). */
    public Map<String, INDArray> arraysOf(String group) {
        return groups.getOrDefault(group, Map.of());
    }

    /** A text entry, if present. */
    public Optional<String> text(String name) {
        return Optional.ofNullable(texts.get(name));
    }

    /** Adds a group of arrays, e.g. "student" parameters. */
    public Checkpoint arrays(String group, Map<String, INDArray> arrays) {
        groups.put(group, arrays);
        return this;
    }

    /** Adds a text entry, e.g. "config.yaml". */
    public Checkpoint text(String name, String content) {
        texts.put(name, content);
        return this;
    }

    /**
     * Writes the checkpoint to {@code file} atomically.
     *
     * @throws IOException if the folder is not writable or the disk is full (the previous file stays intact)
     */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".tmp");
        try {
            try (OutputStream raw = Files.newOutputStream(temporary); ZipOutputStream zip = new ZipOutputStream(raw)) {
                for (Map.Entry<String, String> entry : texts.entrySet()) {
                    zip.putNextEntry(new ZipEntry(entry.getKey()));
                    zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                }
                for (Map.Entry<String, Map<String, INDArray>> group : groups.entrySet()) {
                    for (Map.Entry<String, INDArray> array : group.getValue().entrySet()) {
                        zip.putNextEntry(new ZipEntry(group.getKey() + "/" + array.getKey() + ".bin"));
                        DataOutputStream data = new DataOutputStream(zip);
                        Nd4j.write(array.getValue(), data);
                        data.flush();
                        zip.closeEntry();
                    }
                }
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}

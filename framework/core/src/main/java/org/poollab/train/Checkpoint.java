package org.poollab.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.hash.Sha256;

/**
 * A training checkpoint: groups of named arrays (ND4J's binary format, one zip entry per array as
 * {@code group/name.bin}) plus text entries (the config, step, seeds), and the SHA-256 of every entry
 * ({@value #CHECKSUMS}), verified on load. Written to a temporary file in the same folder, forced to disk, and
 * moved into place atomically, so a crash never leaves a half-written checkpoint under the final name, and a file
 * damaged later (a truncated copy, a flipped bit) is recognised rather than half-read.
 */
public final class Checkpoint {

    /** The entry listing {@code <sha-256 hex> <entry name>} per line. */
    static final String CHECKSUMS = "checksums.sha256";

    private final Map<String, Map<String, INDArray>> groups = new LinkedHashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();

    /**
     * Reads a checkpoint written by {@link #write}, checking every entry against its checksum before parsing it
     * (checkpoints from before checksums are read unchecked).
     *
     * @throws CorruptCheckpointException naming the file if it is truncated, not a zip, or an entry does not match
     * @throws IOException if the file cannot be read at all
     */
    public static Checkpoint read(Path file) throws IOException {
        Checkpoint checkpoint = new Checkpoint();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<String, String> checksums = checksums(zip);
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                if (name.equals(CHECKSUMS)) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                String expected = checksums.get(name);
                if (!checksums.isEmpty() && !Sha256.of(bytes).equals(expected)) {
                    throw new CorruptCheckpointException(file, expected == null ? "entry " + name + " is not in "
                            + CHECKSUMS : "entry " + name + " does not match its checksum");
                }
                int slash = name.indexOf('/');
                if (name.endsWith(".bin") && slash > 0) {
                    String array = name.substring(slash + 1, name.length() - ".bin".length());
                    checkpoint.groups.computeIfAbsent(name.substring(0, slash), g -> new LinkedHashMap<>())
                            .put(array, Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes))));
                } else {
                    checkpoint.texts.put(name, new String(bytes, StandardCharsets.UTF_8));
                }
            }
            if (!checksums.isEmpty() && checksums.size() != Collections.list(zip.entries()).size() - 1) {
                throw new CorruptCheckpointException(file, "entries listed in " + CHECKSUMS + " are missing");
            }
        } catch (ZipException | EOFException e) {
            throw new CorruptCheckpointException(file, "not a complete zip file (" + e.getMessage() + ")");
        }
        return checkpoint;
    }

    private static Map<String, String> checksums(ZipFile zip) throws IOException {
        ZipEntry entry = zip.getEntry(CHECKSUMS);
        Map<String, String> checksums = new HashMap<>();
        if (entry == null) {
            return checksums;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    checksums.put(line.substring(space + 1), line.substring(0, space));
                }
            }
        }
        return checksums;
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
            StringBuilder checksums = new StringBuilder();
            try (OutputStream raw = Files.newOutputStream(temporary); ZipOutputStream zip = new ZipOutputStream(raw)) {
                for (Map.Entry<String, String> entry : texts.entrySet()) {
                    entry(zip, entry.getKey(), entry.getValue().getBytes(StandardCharsets.UTF_8), checksums);
                }
                for (Map.Entry<String, Map<String, INDArray>> group : groups.entrySet()) {
                    for (Map.Entry<String, INDArray> array : group.getValue().entrySet()) {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        try (DataOutputStream data = new DataOutputStream(bytes)) {
                            Nd4j.write(array.getValue(), data);
                        }
                        entry(zip, group.getKey() + "/" + array.getKey() + ".bin", bytes.toByteArray(), checksums);
                    }
                }
                zip.putNextEntry(new ZipEntry(CHECKSUMS));
                zip.write(checksums.toString().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            // On disk before the move: after a power cut the final name holds the whole file or the previous one.
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes, StringBuilder checksums)
            throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
        checksums.append(Sha256.of(bytes)).append(' ').append(name).append('\n');
    }
}

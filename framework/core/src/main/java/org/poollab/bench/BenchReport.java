package org.poollab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.poollab.tracking.Json;

/** Writes a benchmark's numbers and context as one flat JSON object. */
public final class BenchReport {

    private BenchReport() {
    }

    /**
     * @param context text fields (experiment, natives, date, ...)
     * @param numbers the measurements
     */
    public static void write(Path file, Map<String, String> context, Map<String, Double> numbers)
            throws IOException {
        StringBuilder json = new StringBuilder("{\n");
        context.forEach((k, v) -> json.append("  ").append(Json.string(k)).append(": ").append(Json.string(v))
                .append(",\n"));
        numbers.forEach((k, v) -> json.append("  ").append(Json.string(k)).append(": ")
                .append(Double.isFinite(v) ? String.valueOf(v) : "null").append(",\n"));
        json.setLength(json.length() - 2);
        json.append("\n}\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json);
    }
}

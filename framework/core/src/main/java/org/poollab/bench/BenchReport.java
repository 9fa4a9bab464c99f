package org.poollab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
        context.forEach((k, v) -> json.append("  ").append(quote(k)).append(": ").append(quote(v)).append(",\n"));
        numbers.forEach((k, v) -> json.append("  ").append(quote(k)).append(": ")
                .append(Double.isFinite(v) ? String.valueOf(v) : "null").append(",\n"));
        json.setLength(json.length() - 2);
        json.append("\n}\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json);
    }

    /** A JSON string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}

package org.poollab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    @TempDir
    Path dir;

    @Test
    void writesOneFlatJsonObjectWithEscapedText() throws IOException {
        Map<String, Double> numbers = new LinkedHashMap<>();
        numbers.put("train_img_per_s_b64", 42.5);
        numbers.put("knn_60k_x_10k_s", Double.NaN);
        Path file = dir.resolve("bench/x.json");
        BenchReport.write(file, Map.of("overrides", "a=\"b\"\\c\n\u0001"), numbers);
        assertEquals("{\n  \"overrides\": \"a=\\\"b\\\"\\\\c\\n\\u0001\",\n  \"train_img_per_s_b64\": 42.5,\n"
                + "  \"knn_60k_x_10k_s\": null\n}\n", Files.readString(file));
    }
}

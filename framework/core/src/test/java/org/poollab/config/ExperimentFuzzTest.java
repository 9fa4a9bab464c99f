package org.poollab.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutations of the shipped experiment files (deleted and inserted characters, odd values, duplicated lines,
 * truncation) either load or fail with a {@link ConfigException} that names a path and says something — never
 * another exception, never a hang.
 */
class ExperimentFuzzTest {

    private static final Path EXPERIMENTS = Path.of("../../experiments");
    private static final int MUTATIONS_PER_FILE = 400;
    private static final String SIGNIFICANT = ":{}[],&*!|>'\"#%@\n -.=\t0aZ";
    private static final List<String> ODD_VALUES = List.of("-1", "0", "1e99", "-1e-320", "none", "null", "[", "]",
            "true", "{a: 1}", "*x", "&x y", "[1, [2]]", "'", "\"unterminated", "0x1F", ".nan", ".inf", "~", "!!str 3",
            "!!java.io.File /tmp", "[" + "[".repeat(50), "simpool", "1.25", "{}", "[]", "\u00e9\u4e2d");

    @TempDir
    Path dir;

    static Stream<Path> shippedFiles() throws IOException {
        return Files.list(EXPERIMENTS).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest
    @MethodSource("shippedFiles")
    void mutationsLoadOrFailWithAConfigError(Path shipped) throws IOException {
        String original = Files.readString(shipped);
        SplittableRandom random = new SplittableRandom(shipped.getFileName().toString().hashCode());
        for (int i = 0; i < MUTATIONS_PER_FILE; i++) {
            String mutated = mutate(original, random);
            Path file = dir.resolve("m.yaml");
            Files.writeString(file, mutated);
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                try {
                    ExperimentLoader.plan(file, List.of());
                } catch (ConfigException e) {
                    assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "empty message for:\n" + mutated);
                } catch (RuntimeException e) {
                    fail(e + " escaped for this file:\n" + mutated, e);
                }
            }, () -> "loading hung on:\n" + mutated);
        }
    }

    private static String mutate(String text, SplittableRandom random) {
        int at = random.nextInt(text.length());
        return switch (random.nextInt(5)) {
            case 0 -> text.substring(0, at) + text.substring(at + 1);
            case 1 -> text.substring(0, at) + SIGNIFICANT.charAt(random.nextInt(SIGNIFICANT.length()))
                    + text.substring(at);
            case 2 -> replaceAValue(text, random);
            case 3 -> duplicateALine(text, random);
            default -> text.substring(0, at);
        };
    }

    private static String replaceAValue(String text, SplittableRandom random) {
        String[] lines = text.split("\n", -1);
        int line = random.nextInt(lines.length);
        int colon = lines[line].indexOf(": ");
        if (colon < 0) {
            return text;
        }
        lines[line] = lines[line].substring(0, colon + 2) + ODD_VALUES.get(random.nextInt(ODD_VALUES.size()));
        return String.join("\n", lines);
    }

    private static String duplicateALine(String text, SplittableRandom random) {
        String[] lines = text.split("\n", -1);
        int line = random.nextInt(lines.length);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            out.append(lines[i]).append('\n');
            if (i == line) {
                out.append(lines[i]).append('\n');
            }
        }
        return out.toString();
    }
}

package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.poollab.report.Report;
import org.poollab.tracking.MlflowHttp;
import org.poollab.tracking.MlflowRun;

/**
 * The report of runs logged to a real MLflow server: the tables (one row per run, mean ± sd over seeds), the
 * charts and attention grids as PNG files, the upload to the sweep's parent run, and the page in headless
 * Chromium (every image loads, no console messages; a screenshot is kept in target/).
 */
class ReportIT {

    @RegisterExtension
    static final MlflowServerExtension SERVER = new MlflowServerExtension();

    private static final String CHROMIUM = "/usr/bin/chromium";

    @TempDir
    Path dir;

    @Test
    void aSweepsRunsBecomeTablesChartsAndAttentionGridsThatLoadInABrowser() throws Exception {
        Path grid = dir.resolve("grid.png");
        BufferedImage image = new BufferedImage(896, 112, BufferedImage.TYPE_INT_RGB);
        image.setRGB(10, 10, Color.YELLOW.getRGB());
        ImageIO.write(image, "png", grid.toFile());
        Path journal = dir.resolve("journal");
        String parentId;
        try (MlflowRun parent = MlflowRun.start(SERVER.uri(), "it-report", "sweep", Map.of(), journal)) {
            parentId = parent.runId();
            parent.setTags(Map.of("sweep.runs", "4"));
            double[][] knn = {{70, 72}, {60, 61}}; // simpool seeds 0 and 1, gap seeds 0 and 1
            String[] poolings = {"simpool", "gap"};
            for (int p = 0; p < 2; p++) {
                for (int seed = 0; seed < 2; seed++) {
                    try (MlflowRun run = MlflowRun.start(SERVER.uri(), "it-report", poolings[p] + seed,
                            Map.of(MlflowRun.PARENT_TAG, parentId), journal)) {
                        run.logParams(Map.of("pooling.id", poolings[p], "backbone.id", "vit", "trainer.id", "dino",
                                "seed", String.valueOf(seed)));
                        for (int step = 1; step <= 5; step++) {
                            run.logMetrics(step, Map.of("loss", 6.9 - 0.1 * step - p));
                        }
                        run.logMetrics(1, Map.of("knn_top1_k20", knn[p][seed] - 5, "knn_top5_k20", 90.0));
                        run.logMetrics(2, Map.of("knn_top1_k20", knn[p][seed], "knn_top5_k20", 95.0));
                        if (poolings[p].equals("simpool")) {
                            run.logMetrics(2, Map.of("attention_jaccard", 40.0 + seed));
                            run.logArtifact(grid, "attention/attention-grid.png");
                        } else if (seed == 1) { // a grid without a Jaccard, as on an image folder
                            run.logArtifact(grid, "attention/attention-grid.png");
                        }
                        run.finish();
                    }
                }
            }
            parent.finish();
        }

        Path folder = dir.resolve("report");
        Path index = new Report(SERVER.uri(), System.out).write("it-report", "", folder);
        String html = Files.readString(index);
        assertEquals(4, count(html, "<tr class=\"run\">"), "one row per run, none for the sweep parent");
        assertTrue(html.contains("71.00 ± 1.41") && html.contains("60.50 ± 0.71"), "mean ± sd of top-1 k20: " + html);
        assertTrue(html.contains("/runs/"), "rows link to their MLflow runs");
        String markdown = Files.readString(folder.resolve("report.md"));
        assertTrue(markdown.contains("| simpool / vit / dino | 2 | 71.00 ± 1.41"), markdown);
        assertEquals(8, count(html, "<tr class=\"epoch\">"), "one row per run and evaluated epoch");
        assertTrue(markdown.contains("| simpool / vit / dino | 0 | 1 | 65.00 | 90.00 |")
                && markdown.contains("| simpool / vit / dino | 0 | 2 | 70.00 | 95.00 |")
                && markdown.contains("| gap / vit / dino | 1 | 2 | 61.00 | 95.00 |"),
                "k-NN after each epoch: " + markdown);
        for (String chart : List.of("charts/knn-top1.png", "charts/loss.png", "charts/knn-epochs.png")) {
            BufferedImage png = ImageIO.read(folder.resolve(chart).toFile());
            assertEquals(720, png.getWidth(), chart);
            assertTrue(html.contains("src=\"" + chart + "\""), chart);
        }
        BufferedImage compared = ImageIO.read(folder.resolve("charts/attention-compared.png").toFile());
        assertEquals(2 * 80, compared.getHeight(), "seed 1's simpool and gap grids, one 80-px row of images each");
        assertTrue(html.contains("src=\"charts/attention-compared.png\""), "the comparison is on the page");
        try (var attention = Files.list(folder.resolve("attention"))) {
            List<Path> grids = attention.toList();
            assertEquals(3, grids.size(), "the two simpool runs and gap seed 1 logged a grid");
            assertEquals(640, ImageIO.read(grids.get(0).toFile()).getWidth(), "grids are shrunk");
        }
        String artifacts = MlflowHttp.get(SERVER.uri(), "/api/2.0/mlflow/artifacts/list?run_id=" + parentId
                + "&path=report");
        assertTrue(artifacts.contains("report/index.html") && artifacts.contains("report/charts"), artifacts);

        Path reused = dir.resolve("gap-report");
        new Report(SERVER.uri(), System.out).write("it-report", "", reused); // a full report, then in its folder:
        Path gapOnly = new Report(SERVER.uri(), System.out).write("it-report", "params.`pooling.id` = 'gap'",
                reused);
        assertEquals(2, count(Files.readString(gapOnly), "<tr class=\"run\">"), "an MLflow filter selects runs");
        try (var left = Files.list(reused.resolve("attention"))) {
            assertEquals(1, left.count(), "gap seed 1's grid, and none of the earlier report's");
        }

        assertTrue(Files.isExecutable(Path.of(CHROMIUM)), "Chromium is installed by ./poollab test (Debian package "
                + "chromium)");
        Path screenshot = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Browser page = chromium(index, "--dump-dom");
        assertTrue(page.out().contains("data-broken-images=\"0\""), "every image loads: " + page.out());
        assertFalse(Pattern.compile("CONSOLE\\(|Uncaught").matcher(page.err()).find(), "console: " + page.err());
        chromium(index, "--screenshot=" + screenshot, "--window-size=1280,1800");
        assertTrue(Files.size(screenshot) > 10_000, "screenshot saved to " + screenshot);
    }

    private record Browser(String out, String err) {
    }

    private Browser chromium(Path page, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=5000", "--user-data-dir=" + dir.resolve("chromium-profile")));
        command.addAll(List.of(extra));
        command.add(page.toUri().toString());
        Path out = dir.resolve("chromium.out");
        Path err = dir.resolve("chromium.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        return new Browser(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err,
                StandardCharsets.UTF_8));
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}

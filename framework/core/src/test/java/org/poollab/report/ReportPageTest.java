package org.poollab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed statistics use finished runs only; the runs table still lists every run with its status. */
class ReportPageTest {

    private static RunSummary run(String id, String status, int seed, double knn) {
        return new RunSummary(id, "simpool-s" + seed, status, Map.of("pooling.id", "simpool", "backbone.id", "vit",
                "trainer.id", "dino", "seed", String.valueOf(seed)), Map.of(), Map.of("knn_top1_k20", knn), 60,
                "http://mlflow/runs/" + id, "file:/artifacts/" + id);
    }

    @Test
    void aKilledRunIsListedButLeftOutOfTheMeanOverSeeds() {
        ReportPage page = new ReportPage("e", List.of(run("a", "FINISHED", 0, 70), run("b", "FINISHED", 1, 72),
                run("c", "KILLED", 2, 10)));
        String markdown = page.markdown(Map.of(), Map.of(), List.of());
        assertTrue(markdown.contains("3 runs (2 finished)"), markdown);
        assertTrue(markdown.contains(
                "| [simpool-s2](http://mlflow/runs/c) | simpool | vit | dino | 2 | KILLED | 10.00"), markdown);
        assertTrue(markdown.contains("| simpool / vit / dino | 2 | 71.00 ± 1.41 |"), markdown);
        assertEquals(2, page.groups().get("simpool / vit / dino").size());
    }

    @Test
    void whenEveryRunFinishedTheCountSaysSoPlainly() {
        ReportPage page = new ReportPage("e", List.of(run("a", "FINISHED", 0, 70)));
        assertTrue(page.markdown(Map.of(), Map.of(), List.of()).contains("1 run, read from MLflow"));
    }

    @Test
    void textCellsAreAlignedLeftAndNumbersRight() {
        ReportPage page = new ReportPage("e", List.of(run("a", "FINISHED", 0, 70), run("b", "FINISHED", 1, 72)));
        String html = page.html(Map.of(), Map.of(), List.of());
        assertTrue(html.contains("<td class=\"l\">simpool</td><td class=\"l\">vit</td><td class=\"l\">dino</td>"
                + "<td>0</td><td class=\"l\">FINISHED</td><td>70.00</td>"), html);
        assertTrue(html.contains("<td>71.00 ± 1.41</td>"), html);
    }

    @Test
    void markdownCellsShowRunNamesAndParametersAsTheyAre() {
        assertEquals("a\\|b \\*c\\* \\<script\\> d", ReportPage.markdownCell("a|b *c* <script>\nd"));
        RunSummary odd = new RunSummary("z", "x|y", "FINISHED", Map.of("pooling.id", "sim_pool", "backbone.id", "vit",
                "trainer.id", "dino", "seed", "0"), Map.of(), Map.of("knn_top1_k20", 50.0), 60, "http://mlflow/runs/z",
                "file:/artifacts/z");
        String markdown = new ReportPage("e", List.of(odd)).markdown(Map.of(), Map.of(), List.of());
        assertTrue(markdown.contains("| [x\\|y](http://mlflow/runs/z) | sim\\_pool | vit |"), markdown);
    }
}

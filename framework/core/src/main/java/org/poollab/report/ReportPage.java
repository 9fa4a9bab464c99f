package org.poollab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The report's two texts: {@code index.html} (with images) and {@code report.md} (tables and image links). */
final class ReportPage {

    private static final Pattern KNN = Pattern.compile("knn_top1_k(\\d+)");
    /** Cells aligned right: numbers, "mean ± sd" and the dash of a missing value. */
    private static final Pattern NUMERIC = Pattern.compile("[-–0-9.± ]+");
    private static final String EPOCHS_TITLE = "k-NN after each evaluated epoch";
    private static final String GROUPS_TITLE = "Mean ± standard deviation over seeds (finished runs)";
    private static final String FINISHED = "FINISHED";

    private final String experiment;
    private final List<RunSummary> runs;
    private final List<Integer> ks;

    /**
     * @param runs the runs to show (sweep parents already left out), oldest first
     */
    ReportPage(String experiment, List<RunSummary> runs) {
        this.experiment = experiment;
        this.runs = runs;
        TreeSet<Integer> found = new TreeSet<>();
        for (RunSummary run : runs) {
            for (String key : run.metrics().keySet()) {
                Matcher m = KNN.matcher(key);
                if (m.matches()) {
                    found.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        this.ks = List.copyOf(found);
    }

    /** The k the bar chart shows: 20 if logged (docs/method.md §7's headline), else the smallest. */
    int headlineK() {
        return ks.contains(20) ? 20 : ks.isEmpty() ? 20 : ks.get(0);
    }

    /**
     * Finished runs grouped by pooling / backbone / trainer (seeds pooled), in first-seen order. Killed, failed and
     * running runs are left out: their metrics stop at whichever epoch they reached.
     */
    Map<String, List<RunSummary>> groups() {
        Map<String, List<RunSummary>> groups = new LinkedHashMap<>();
        runs.stream().filter(run -> run.status().equals(FINISHED))
                .forEach(run -> groups.computeIfAbsent(run.group(), g -> new ArrayList<>()).add(run));
        return groups;
    }

    /** "1 run", "5 runs" or "5 runs (3 finished)": the page's opening words. */
    private String runCount() {
        long finished = runs.stream().filter(run -> run.status().equals(FINISHED)).count();
        return runs.size() + (runs.size() == 1 ? " run" : " runs")
                + (finished == runs.size() ? "" : " (" + finished + " finished)");
    }

    /** The k-NN metrics logged by any run: top-1 for every k, then top-5 for every k. */
    List<String> knnColumns() {
        List<String> columns = new ArrayList<>();
        ks.forEach(k -> columns.add("knn_top1_k" + k));
        ks.forEach(k -> columns.add("knn_top5_k" + k));
        return columns;
    }

    private List<String> metricColumns() {
        List<String> columns = new ArrayList<>(knnColumns());
        columns.add("attention_jaccard");
        return columns;
    }

    /**
     * @param charts chart file names (relative) with their captions
     * @param attention run id to the relative path of its attention grid
     * @param epochs every evaluation of every run (a table when some run was evaluated more than once)
     */
    String html(Map<String, String> charts, Map<String, String> attention, List<EpochScores> epochs) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>PoolLab report: ")
                .append(escape(experiment)).append("</title>\n<style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;"
                        + "text-align:right}td.l,th.l{text-align:left}figure{display:inline-block;margin:8px}"
                        + "figcaption{font-size:12px}img{max-width:100%}div.wide{overflow-x:auto;max-width:100%}"
                        + "</style></head>\n<body>\n");
        out.append("<h1>").append(escape(experiment)).append("</h1>\n<p>").append(runCount())
                .append(", read from MLflow. k-NN top-1/top-5 in percent (docs/method.md §7), attention Jaccard in "
                        + "percent, wall time in minutes.</p>\n");
        out.append("<h2>Runs</h2>\n");
        htmlTable(out, "runs", "run", runHeader(), runRows());
        out.append("<h2>").append(GROUPS_TITLE).append("</h2>\n");
        htmlTable(out, "groups", "group", groupHeader(), groupRows());
        if (EpochScores.anyRunHasSeveral(epochs)) {
            out.append("<h2>").append(EPOCHS_TITLE).append("</h2>\n");
            htmlTable(out, "epochs", "epoch", epochHeader(), epochRows(epochs));
        }
        out.append("<h2>Charts</h2>\n");
        charts.forEach((file, caption) -> out.append("<figure><img src=\"").append(escape(file)).append("\" alt=\"")
                .append(escape(caption)).append("\"><figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n"));
        out.append("<h2>Attention maps</h2>\n");
        if (attention.isEmpty()) {
            out.append("<p>No run logged an attention grid.</p>\n");
        }
        for (RunSummary run : runs) {
            String file = attention.get(run.runId());
            if (file != null) {
                out.append("<figure><img src=\"").append(escape(file)).append("\" alt=\"attention of ")
                        .append(escape(run.name())).append("\"><figcaption>").append(escape(run.group()))
                        .append(", seed ").append(escape(run.seed())).append("</figcaption></figure>\n");
            }
        }
        // Marks the page for the browser check: every image decoded, or how many did not.
        out.append("<script>window.addEventListener('load',function(){var bad=0;"
                + "document.querySelectorAll('img').forEach(function(i){if(!i.complete||i.naturalWidth===0)bad++;});"
                + "document.body.setAttribute('data-broken-images',String(bad));});</script>\n");
        return out.append("</body></html>\n").toString();
    }

    /** The same tables as Markdown, with the charts and attention grids as image links. */
    String markdown(Map<String, String> charts, Map<String, String> attention, List<EpochScores> epochs) {
        StringBuilder out = new StringBuilder("# " + experiment + "\n\n" + runCount() + ", read from MLflow. "
                + "k-NN top-1/top-5 in percent, attention Jaccard in percent, wall time in minutes.\n\n## Runs\n\n");
        markdownTable(out, runHeader(), runRows());
        out.append("\n## ").append(GROUPS_TITLE).append("\n\n");
        markdownTable(out, groupHeader(), groupRows());
        if (EpochScores.anyRunHasSeveral(epochs)) {
            out.append("\n## ").append(EPOCHS_TITLE).append("\n\n");
            markdownTable(out, epochHeader(), epochRows(epochs));
        }
        out.append("\n## Charts\n\n");
        charts.forEach((file, caption) -> out.append("![").append(caption).append("](").append(file).append(")\n\n"));
        out.append("## Attention maps\n\n");
        for (RunSummary run : runs) {
            String file = attention.get(run.runId());
            if (file != null) {
                out.append("**").append(run.group()).append(", seed ").append(run.seed()).append("**\n\n![attention](")
                        .append(file).append(")\n\n");
            }
        }
        return out.toString();
    }

    private List<String> runHeader() {
        List<String> head = new ArrayList<>(List.of("run", "pooling", "backbone", "trainer", "seed", "status"));
        head.addAll(metricColumns());
        head.addAll(List.of("minutes", "img/s"));
        return head;
    }

    private List<Row> runRows() {
        return runs.stream().map(run -> {
            List<String> cells = new ArrayList<>(List.of(run.name(), run.pooling(), run.backbone(), run.trainer(),
                    run.seed(), run.status()));
            metricColumns().forEach(column -> cells.add(number(run.metric(column))));
            cells.add(number(run.seconds() / 60));
            cells.add(number(run.metric("img_per_s")));
            return new Row(cells, run.url());
        }).toList();
    }

    private List<String> epochHeader() {
        List<String> head = new ArrayList<>(List.of("run", "pooling / backbone / trainer", "seed", "epoch"));
        head.addAll(knnColumns());
        return head;
    }

    private List<Row> epochRows(List<EpochScores> epochs) {
        return epochs.stream().map(scores -> {
            RunSummary run = scores.run();
            List<String> cells = new ArrayList<>(List.of(run.name(), run.group(), run.seed(),
                    String.valueOf(scores.epoch())));
            knnColumns().forEach(column -> cells.add(number(scores.metric(column))));
            return new Row(cells, run.url());
        }).toList();
    }

    private List<String> groupHeader() {
        List<String> head = new ArrayList<>(List.of("pooling / backbone / trainer", "runs"));
        head.addAll(metricColumns());
        return head;
    }

    private List<Row> groupRows() {
        List<Row> rows = new ArrayList<>();
        groups().forEach((group, members) -> {
            List<String> row = new ArrayList<>(List.of(group, String.valueOf(members.size())));
            for (String column : metricColumns()) {
                Stats stats = Stats.of(members.stream().map(run -> run.metric(column)).toList());
                row.add(stats.count() == 0 ? "–" : stats.count() == 1 ? number(stats.mean())
                        : number(stats.mean()) + " ± " + number(stats.deviation()));
            }
            rows.add(new Row(row, null));
        });
        return rows;
    }

    /** A table row; its first cell links to {@code link} unless that is null. */
    private record Row(List<String> cells, String link) {
    }

    private static void htmlTable(StringBuilder out, String id, String rowClass, List<String> head, List<Row> rows) {
        // A wide table scrolls inside its own box instead of widening the page.
        out.append("<div class=\"wide\"><table id=\"").append(id).append("\">\n<tr>");
        head.forEach(cell -> out.append("<th class=\"l\">").append(escape(cell)).append("</th>"));
        out.append("</tr>\n");
        for (Row row : rows) {
            String first = escape(row.cells().get(0));
            out.append("<tr class=\"").append(rowClass).append("\"><td class=\"l\">").append(row.link() == null
                    ? first : "<a href=\"" + escape(row.link()) + "\">" + first + "</a>").append("</td>");
            row.cells().subList(1, row.cells().size()).forEach(cell -> out.append(NUMERIC.matcher(cell).matches()
                    ? "<td>" : "<td class=\"l\">").append(escape(cell)).append("</td>"));
            out.append("</tr>\n");
        }
        out.append("</table></div>\n");
    }

    private static void markdownTable(StringBuilder out, List<String> head, List<Row> rows) {
        out.append("| ").append(String.join(" | ", head)).append(" |\n|");
        head.forEach(h -> out.append("---|"));
        out.append('\n');
        for (Row row : rows) {
            List<String> cells = new ArrayList<>(row.cells().stream().map(ReportPage::markdownCell).toList());
            if (row.link() != null) {
                cells.set(0, "[" + cells.get(0) + "](" + row.link().replace(" ", "%20").replace(")", "%29") + ")");
            }
            out.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
    }

    /**
     * A table cell's text that Markdown shows as it is: a {@code |} would end the cell, a newline the row, and
     * {@code * _ [ ] < > ` \} would format, link or open HTML.
     */
    static String markdownCell(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '\n' || c == '\r') {
                out.append(' ');
            } else {
                if ("\\|*_[]<>`".indexOf(c) >= 0) {
                    out.append('\\');
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f", value) : "–";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

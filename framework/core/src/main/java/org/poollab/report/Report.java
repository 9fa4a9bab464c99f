package org.poollab.report;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.poollab.tracking.MlflowHttp;
import org.poollab.tracking.TrackingException;

/**
 * {@code poollab report <experiment>}: the experiment's runs, searched on the MLflow server, as
 * {@code index.html} and {@code report.md} with a table of runs, mean ± standard deviation over seeds, the k-NN
 * scores after each evaluated epoch, a k-NN bar chart per pooling, training curves, the maps of every pooling on
 * the same test images, and each run's attention grid. The report is also uploaded to the newest sweep parent run
 * of the experiment (artifacts {@code report/...}).
 */
public final class Report {

    /** Attention grids are scaled down to this width to keep the report small. */
    private static final int ATTENTION_WIDTH = 640;
    private static final String ATTENTION_ARTIFACT = "attention/attention-grid.png";
    private static final String COMPARISON = "charts/attention-compared.png";

    private final String trackingUri;
    private final PrintStream out;

    /**
     * @param trackingUri the MLflow server holding the runs
     * @param out where progress is printed
     */
    public Report(String trackingUri, PrintStream out) {
        this.trackingUri = trackingUri;
        this.out = out;
    }

    /**
     * Writes the report of an experiment into {@code folder}.
     *
     * @param filter an MLflow search filter selecting the runs (e.g. {@code attributes.status = 'FINISHED'}), or
     *               empty for all
     * @return the {@code index.html} written
     * @throws TrackingException if the server has no such experiment or it has no runs
     */
    public Path write(String experiment, String filter, Path folder) throws IOException {
        try (ExperimentRuns source = new ExperimentRuns(trackingUri)) {
            List<RunSummary> all = source.runs(experiment, filter);
            List<RunSummary> runs = all.stream().filter(run -> !run.isSweepParent()).toList();
            if (runs.isEmpty()) {
                throw new TrackingException("experiment '" + experiment + "' has no runs in MLflow at " + trackingUri
                        + " yet; run it first (poollab run)");
            }
            out.println("report of " + experiment + ": " + runs.size() + " runs");
            emptyFolder(folder.resolve("charts")); // a report written again keeps no files of the last one
            emptyFolder(folder.resolve("attention"));
            ReportPage page = new ReportPage(experiment, runs);
            List<EpochScores> epochs = EpochScores.read(source, runs, page.knnColumns());
            Map<String, String> attention = attentionGrids(runs, folder);
            Map<String, String> charts = charts(source, page, runs, folder, EpochScores.anyRunHasSeveral(epochs));
            AttentionComparison.write(page.groups(), attention, folder, COMPARISON)
                    .ifPresent(caption -> charts.put(COMPARISON, caption));
            Path index = folder.resolve("index.html");
            Files.writeString(index, page.html(charts, attention, epochs));
            Files.writeString(folder.resolve("report.md"), page.markdown(charts, attention, epochs));
            all.stream().filter(RunSummary::isSweepParent).reduce((first, second) -> second)
                    .ifPresent(parent -> upload(parent, folder));
            return index;
        }
    }

    /** Creates {@code folder}, or deletes the files in it (the report's own PNGs; no subfolders are made). */
    private static void emptyFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.delete(file);
            }
        }
    }

    /** @param overEpochs whether some run was evaluated more than once (else a k-NN curve would be one point) */
    private Map<String, String> charts(ExperimentRuns source, ReportPage page, List<RunSummary> runs, Path folder,
                                       boolean overEpochs) throws IOException {
        Map<String, String> charts = new LinkedHashMap<>();
        String headline = "knn_top1_k" + page.headlineK();
        Map<String, List<Double>> byGroup = new LinkedHashMap<>();
        page.groups().forEach((group, members) -> byGroup.put(group,
                members.stream().map(run -> run.metric(headline)).toList()));
        ReportCharts.bars(folder.resolve("charts/knn-top1.png"), "k-NN top-1, k = " + page.headlineK()
                + " (mean ± sd over seeds, finished runs)", "top-1 %", byGroup);
        charts.put("charts/knn-top1.png", "k-NN top-1 at k = " + page.headlineK()
                + " per pooling / backbone / trainer");
        Map<String, List<double[]>> loss = new LinkedHashMap<>();
        Map<String, List<double[]>> knn = new LinkedHashMap<>();
        for (RunSummary run : runs) {
            String label = run.group() + " s" + run.seed() + " (" + run.runId().substring(0, 6) + ")";
            loss.put(label, source.history(run.runId(), "loss"));
            if (overEpochs) {
                knn.put(label, source.history(run.runId(), headline));
            }
        }
        ReportCharts.curves(folder.resolve("charts/loss.png"), "training loss", "step", "loss", loss);
        charts.put("charts/loss.png", "training loss per step");
        if (overEpochs) {
            ReportCharts.curves(folder.resolve("charts/knn-epochs.png"), "k-NN top-1 over epochs", "epoch",
                    "top-1 %", knn);
            charts.put("charts/knn-epochs.png", "k-NN top-1 at k = " + page.headlineK()
                    + " after each evaluated epoch");
        }
        return charts;
    }

    /** Downloads and shrinks the attention grid of every run that logged one (poolings with a map). */
    private Map<String, String> attentionGrids(List<RunSummary> runs, Path folder) throws IOException {
        Map<String, String> grids = new LinkedHashMap<>();
        for (RunSummary run : runs) {
            String listed = MlflowHttp.get(trackingUri, "/api/2.0/mlflow/artifacts/list?run_id=" + run.runId()
                    + "&path=" + ATTENTION_ARTIFACT.substring(0, ATTENTION_ARTIFACT.indexOf('/')));
            if (!listed.contains("\"" + ATTENTION_ARTIFACT + "\"")) {
                continue;
            }
            String relative = "attention/" + run.runId() + ".png";
            Path file = folder.resolve(relative);
            try {
                MlflowHttp.download(trackingUri, run.artifactUri(), ATTENTION_ARTIFACT, file);
            } catch (TrackingException missing) {
                out.println("  no attention grid for run " + run.runId() + ": " + missing.getMessage());
                continue;
            }
            shrink(file);
            grids.put(run.runId(), relative);
        }
        return grids;
    }

    private static void shrink(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        if (image == null || image.getWidth() <= ATTENTION_WIDTH) {
            return;
        }
        int height = Math.max(1, image.getHeight() * ATTENTION_WIDTH / image.getWidth());
        BufferedImage small = new BufferedImage(ATTENTION_WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, ATTENTION_WIDTH, height, null);
        g.dispose();
        ImageIO.write(small, "png", png.toFile());
    }

    private void upload(RunSummary parent, Path folder) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        } catch (IOException e) {
            throw new TrackingException("cannot list the report in " + folder + ": " + e.getMessage(), e);
        }
        for (Path file : files) {
            String relative = folder.relativize(file).toString().replace('\\', '/');
            MlflowHttp.upload(trackingUri, parent.artifactUri(), "report/" + relative, file);
        }
        out.println("  uploaded to the sweep's parent run: " + parent.url());
    }
}

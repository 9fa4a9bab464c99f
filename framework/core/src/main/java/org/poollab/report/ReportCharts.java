package org.poollab.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The report's charts as compact PNG files (XChart). */
final class ReportCharts {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 380;

    private ReportCharts() {
    }

    /**
     * Bars of a metric's mean per group, with the standard deviation over seeds as error bars, on an axis zoomed
     * to the data (from below the lowest mean - sd to above the highest mean + sd), so that differences of a point
     * are visible.
     *
     * @param groups group label to the metric's values over its runs (NaN values are left out)
     */
    static void bars(Path file, String title, String axis, Map<String, List<Double>> groups) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .yAxisTitle(axis).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        List<String> labels = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        List<Double> deviations = new ArrayList<>();
        groups.forEach((label, values) -> {
            Stats stats = Stats.of(values);
            if (stats.count() > 0) {
                labels.add(label);
                means.add(stats.mean());
                deviations.add(stats.deviation());
            }
        });
        if (labels.isEmpty()) {
            labels.add("no runs with " + axis);
            means.add(0.0);
            deviations.add(0.0);
        }
        chart.addSeries(axis, labels, means, deviations);
        double[] range = zoomedRange(means, deviations);
        chart.getStyler().setYAxisMin(range[0]);
        chart.getStyler().setYAxisMax(range[1]);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * The bar chart's axis: the span of mean ± sd over the bars, widened by 40 % of it (at least 0.4) on each side,
     * never below 0.
     *
     * @return {@code [min, max]}
     */
    static double[] zoomedRange(List<Double> means, List<Double> deviations) {
        double low = Double.MAX_VALUE;
        double high = -Double.MAX_VALUE;
        for (int i = 0; i < means.size(); i++) {
            low = Math.min(low, means.get(i) - deviations.get(i));
            high = Math.max(high, means.get(i) + deviations.get(i));
        }
        double margin = Math.max(high - low, 1.0) * 0.4;
        return new double[] {Math.max(0, low - margin), high + margin};
    }

    /**
     * Lines of a metric over steps, one per run.
     *
     * @param series run label to {@code [step, value]} points
     */
    static void curves(Path file, String title, String xAxis, String yAxis, Map<String, List<double[]>> series)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xAxis)
                .yAxisTitle(yAxis).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        series.forEach((label, points) -> {
            if (!points.isEmpty()) {
                double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
                double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
                chart.addSeries(label, x, y);
            }
        });
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no data", new double[] {0}, new double[] {0});
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}

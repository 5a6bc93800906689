package dev.vlltr.runtime.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The project's plots, rendered headless to PNG bytes. */
public final class Plots {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    /** Up to this many classes the confusion matrix names them on its axes. */
    static final int MAX_LABELLED_CLASSES = 40;

    private Plots() {}

    /**
     * Per-class accuracy against the number of training images of the class (log scale), one series per method —
     * the view of VL-LTR's per-class figure: head classes on the right, tail classes on the left.
     *
     * @param trainCounts training images per class
     * @param accuracy    method → per-class accuracy in [0, 1] (same class order as {@code trainCounts})
     */
    public static byte[] perClassAccuracy(String title, long[] trainCounts, Map<String, double[]> accuracy)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT + 80).title(title)
                .xAxisTitle("training images of the class (log scale)").yAxisTitle("accuracy").build();
        style(chart.getStyler());
        // log10 of the count on a linear axis, ticks labelled with the count: XChart's logarithmic axis labels only
        // whole decades, which leaves a 30..300 benchmark with a single tick
        chart.getStyler().setxAxisTickLabelsFormattingFunction(Plots::twoSignificantDigits);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        // below the plot: with a series per model a legend inside would hide points
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS)
                .setLegendLayout(Styler.LegendLayout.Horizontal);
        Integer[] order = sortedByCount(trainCounts);
        double[] x = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            x[i] = Math.log10(Math.max(1, trainCounts[order[i]]));
        }
        for (Map.Entry<String, double[]> s : accuracy.entrySet()) {
            if (s.getValue().length != trainCounts.length) {
                throw new IllegalArgumentException("series '" + s.getKey() + "' has " + s.getValue().length
                        + " classes, the counts have " + trainCounts.length);
            }
            double[] y = new double[order.length];
            for (int i = 0; i < order.length; i++) {
                y[i] = s.getValue()[order[i]];
            }
            XYSeries series = chart.addSeries(s.getKey(), x, y);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        return png(chart);
    }

    /**
     * Reliability diagram: accuracy per confidence bin against the diagonal of perfect calibration.
     *
     * @param binUpper upper edge of each bin (e.g. 1/15, 2/15, …, 1)
     * @param binAccuracy accuracy of the predictions in each bin (NaN for an empty bin)
     * @param binConfidence mean confidence in each bin (NaN for an empty bin)
     */
    public static byte[] reliabilityDiagram(String title, double[] binUpper, double[] binAccuracy,
            double[] binConfidence) throws IOException {
        XYChart chart = new XYChartBuilder().width(HEIGHT).height(HEIGHT).title(title)
                .xAxisTitle("confidence").yAxisTitle("accuracy").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        XYSeries diag = chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
        diag.setMarker(SeriesMarkers.NONE);
        diag.setLineColor(Color.GRAY);
        diag.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f}, 0f));
        List<Double> cx = new ArrayList<>();
        List<Double> acc = new ArrayList<>();
        for (int i = 0; i < binUpper.length; i++) {
            if (!Double.isNaN(binAccuracy[i])) {
                cx.add(binConfidence[i]);
                acc.add(binAccuracy[i]);
            }
        }
        if (!cx.isEmpty()) {
            XYSeries s = chart.addSeries("accuracy per bin", cx, acc);
            s.setMarker(SeriesMarkers.SQUARE);
        }
        return png(chart);
    }

    /** Confusion matrix as a heat map, each row normalised to sum 1 (rows: true class, columns: prediction). */
    public static byte[] confusionMatrix(String title, List<String> classes, long[][] counts) throws IOException {
        int c = classes.size();
        if (counts.length != c) {
            throw new IllegalArgumentException("confusion matrix has " + counts.length + " rows for " + c + " classes");
        }
        boolean labelled = c <= MAX_LABELLED_CLASSES;
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(WIDTH).title(title)
                .xAxisTitle(labelled ? "predicted class" : "predicted class (" + c + " classes, in label order)")
                .yAxisTitle(labelled ? "true class" : "true class (" + c + " classes)").build();
        style(chart.getStyler());
        // class names under the columns would overlap: rotate them 90° (they read bottom-up); with too many
        // classes to name, the axes say how many there are instead
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setXAxisTicksVisible(labelled).setYAxisTicksVisible(labelled);
        chart.getStyler().setShowValue(c <= 20);
        chart.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, c <= 10 ? 12 : 9));
        chart.getStyler().setMin(0).setMax(1);
        // light enough at 1.0 for the black cell values to stay readable
        chart.getStyler().setRangeColors(new Color[] {new Color(0xF7FBFF), new Color(0x9ECAE1), new Color(0x4292C6)});
        chart.getStyler().setHeatMapValueDecimalPattern("0.00");
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < c; t++) {
            long total = 0;
            for (long v : counts[t]) {
                total += v;
            }
            for (int p = 0; p < c; p++) {
                double frac = total == 0 ? 0 : (double) counts[t][p] / total;
                cells.add(new Number[] {p, c - 1 - t, Math.round(frac * 100) / 100.0});
            }
        }
        List<String> reversed = new ArrayList<>(classes);
        java.util.Collections.reverse(reversed);
        chart.addSeries("fraction of the true class", classes, reversed, cells);
        return png(chart);
    }

    /** Line chart of curves sharing an x axis (e.g. loss or accuracy per epoch). */
    public static byte[] lines(String title, String xLabel, String yLabel, double[] x, Map<String, double[]> series)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        style(chart.getStyler());
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            chart.addSeries(s.getKey(), x, s.getValue()).setMarker(SeriesMarkers.NONE);
        }
        return png(chart);
    }

    /** Grouped bars: one group per category (e.g. many/medium/few), one bar per method. */
    public static byte[] groupedBars(String title, String yLabel, List<String> categories,
            Map<String, double[]> byMethod) throws IOException {
        return groupedBars(title, "", yLabel, categories, byMethod);
    }

    /** Grouped bars with a title under the categories too. */
    public static byte[] groupedBars(String title, String xLabel, String yLabel, List<String> categories,
            Map<String, double[]> byMethod) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        style(chart.getStyler());
        chart.getStyler().setYAxisMin(0.0);
        for (Map.Entry<String, double[]> m : byMethod.entrySet()) {
            List<Double> v = new ArrayList<>();
            for (double d : m.getValue()) {
                v.add(Double.isNaN(d) ? 0.0 : d);
            }
            chart.addSeries(m.getKey(), categories, v);
        }
        return png(chart);
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        if (s instanceof org.knowm.xchart.style.AxesChartStyler a) {
            // XChart's defaults (10-11 px) are too small to read once the PNG is scaled into the report
            a.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            a.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        }
        s.setAntiAlias(true);
    }

    /** {@code 10^log10Count} to two significant digits: 158.5 → 160, 3981 → 4000, 63 → 63. */
    static String twoSignificantDigits(double log10Count) {
        double v = Math.pow(10, log10Count);
        if (v < 10) {
            return String.valueOf(Math.round(v));
        }
        double unit = Math.pow(10, Math.floor(Math.log10(v)) - 1);
        return String.valueOf(Math.round(Math.round(v / unit) * unit));
    }

    private static Integer[] sortedByCount(long[] counts) {
        Integer[] idx = new Integer[counts.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Long.compare(counts[a], counts[b]));
        return idx;
    }

    private static byte[] png(Chart<?, ?> chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}

package dev.taskengine.bench.production;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws a {@link Report.Figure} as a PNG with JFreeChart, headless. */
final class Charts {
    private static final int WIDTH = 880;
    private static final int HEIGHT = 480;

    /** Colours that stay apart from each other and readable on white (Okabe and Ito's, without the yellow). */
    private static final Color[] PALETTE = {
        new Color(0x0072B2),
        new Color(0xD55E00),
        new Color(0x009E73),
        new Color(0xCC79A7),
        new Color(0x56B4E9),
        new Color(0xE69F00),
        new Color(0x000000)
    };

    private Charts() {}

    /**
     * A logarithmic axis with one labelled tick per power: of 2 where the values span less than three decades (thread
     * and instance counts), else of 10 (table sizes).
     */
    private static LogAxis logAxis(String label, double lowest, double highest) {
        LogAxis axis = new LogAxis(label);
        axis.setBase(highest / lowest < 1000 ? 2 : 10);
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setMinorTickMarksVisible(false);
        axis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.##"));
        axis.setLowerMargin(0.05);
        axis.setUpperMargin(0.05);
        return axis;
    }

    static void draw(Report.Figure figure, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        for (Report.Series series : figure.series()) {
            XYSeries curve = new XYSeries(series.name(), false, true);
            series.points().forEach(p -> curve.add(p.x(), p.y()));
            data.addSeries(curve);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(
                figure.title(), figure.xAxis(), figure.yAxis(), data, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (figure.logX()) {
            plot.setDomainAxis(
                    logAxis(figure.xAxis(), data.getDomainLowerBound(false), data.getDomainUpperBound(false)));
        } else {
            NumberAxis x = (NumberAxis) plot.getDomainAxis();
            x.setAutoRangeIncludesZero(false);
            boolean whole = figure.series().stream()
                    .flatMap(series -> series.points().stream())
                    .allMatch(p -> p.x() == Math.rint(p.x()));
            if (whole) {
                // Counts (instances, minutes): no tick between two of them.
                x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            }
        }
        if (figure.logY()) {
            plot.setRangeAxis(logAxis(figure.yAxis(), data.getRangeLowerBound(false), data.getRangeUpperBound(false)));
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        plot.setRenderer(renderer);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }
}

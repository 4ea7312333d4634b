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
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws a {@link Report.Figure} as a PNG with JFreeChart, headless. */
final class Charts {
    private static final int WIDTH = 880;
    private static final int HEIGHT = 480;

    private Charts() {}

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
            LogAxis x = new LogAxis(figure.xAxis());
            x.setBase(10);
            x.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
            plot.setDomainAxis(x);
        } else {
            ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
        }
        if (figure.logY()) {
            LogAxis y = new LogAxis(figure.yAxis());
            y.setBase(10);
            y.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.##"));
            plot.setRangeAxis(y);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }
}

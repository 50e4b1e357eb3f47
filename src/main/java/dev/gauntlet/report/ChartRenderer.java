package dev.gauntlet.report;


import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws charts as PNG with JFreeChart. */
final class ChartRenderer {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 400;

    private ChartRenderer() {}

    /**
     * Draws a line chart.
     *
     * @param chart the chart
     * @return PNG bytes
     */
    static byte[] png(LineChart chart) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (LineChart.Series series : chart.series()) {
            XYSeries line = new XYSeries(series.name(), false, true);
            for (int i = 0; i < series.x().length; i++) {
                line.add(series.x()[i], series.y()[i]);
            }
            data.addSeries(line);
        }
        JFreeChart drawn = ChartFactory.createXYLineChart(chart.title(), chart.xLabel(), chart.yLabel(), data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = drawn.getXYPlot();
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return encode(drawn);
    }

    /**
     * Draws a bar chart.
     *
     * @param chart the chart
     * @return PNG bytes
     */
    static byte[] png(BarChart chart) {
        if (chart.errors() != null) {
            DefaultStatisticalCategoryDataset stats =
                    new DefaultStatisticalCategoryDataset();
            for (int i = 0; i < chart.values().length; i++) {
                stats.add(chart.values()[i], chart.errors()[i], chart.valueLabel(), chart.categories().get(i));
            }
            JFreeChart drawn = ChartFactory.createBarChart(chart.title(), chart.categoryLabel(), chart.valueLabel(),
                    stats, PlotOrientation.VERTICAL, false, false, false);
            StatisticalBarRenderer renderer =
                    new StatisticalBarRenderer();
            renderer.setErrorIndicatorPaint(Color.BLACK);
            drawn.getCategoryPlot().setRenderer(renderer);
            drawn.getCategoryPlot().setBackgroundPaint(Color.WHITE);
            drawn.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
            return encode(drawn);
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int i = 0; i < chart.values().length; i++) {
            data.addValue(chart.values()[i], chart.valueLabel(), chart.categories().get(i));
        }
        JFreeChart drawn = ChartFactory.createBarChart(chart.title(), chart.categoryLabel(), chart.valueLabel(), data,
                PlotOrientation.VERTICAL, false, false, false);
        drawn.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        drawn.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        return encode(drawn);
    }

    private static byte[] encode(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        try {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ChartUtils.writeChartAsPNG(png, chart, WIDTH, HEIGHT);
            return png.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart '" + chart.getTitle().getText() + "' as PNG", e);
        }
    }
}

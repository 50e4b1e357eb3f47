package dev.gauntlet.report;

import java.util.List;
import java.util.Objects;

/**
 * A line chart, e.g. accuracy against ε, drawn as PNG evidence.
 *
 * @param title the chart title, also the attachment name
 * @param xLabel the x-axis label
 * @param yLabel the y-axis label
 * @param series the lines
 */
public record LineChart(String title, String xLabel, String yLabel, List<Series> series) {

    /**
     * Validates and copies the chart.
     *
     * @throws IllegalArgumentException if there is no series
     */
    public LineChart {
        Objects.requireNonNull(title, "title");
        series = List.copyOf(series);
        if (series.isEmpty()) {
            throw new IllegalArgumentException("a line chart needs at least one series");
        }
    }

    /**
     * Draws this chart as a PNG image, as the report shows it.
     *
     * @return the PNG bytes
     */
    public byte[] png() {
        return ChartRenderer.png(this);
    }

    /**
     * One line: points {@code (x[i], y[i])}.
     *
     * @param name the legend entry
     * @param x the x values
     * @param y the y values, as many as x
     */
    public record Series(String name, double[] x, double[] y) {

        /**
         * Validates and copies the series.
         *
         * @throws IllegalArgumentException if x and y differ in length
         */
        public Series {
            Objects.requireNonNull(name, "name");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values but "
                        + y.length + " y values");
            }
            x = x.clone();
            y = y.clone();
        }
    }
}

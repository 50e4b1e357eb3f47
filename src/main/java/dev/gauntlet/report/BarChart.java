package dev.gauntlet.report;

import java.util.List;
import java.util.Objects;

/**
 * A bar chart, e.g. accuracy per class, drawn as PNG evidence.
 *
 * @param title the chart title, also the attachment name
 * @param categoryLabel the category-axis label
 * @param valueLabel the value-axis label
 * @param categories one name per bar
 * @param values one value per bar
 * @param errors the half-length of each bar's error bar (e.g. a standard deviation), or null for none
 */
public record BarChart(String title, String categoryLabel, String valueLabel, List<String> categories,
        double[] values, double[] errors) {

    /**
     * Validates and copies the chart.
     *
     * @throws IllegalArgumentException if categories, values and errors differ in length
     */
    public BarChart {
        Objects.requireNonNull(title, "title");
        categories = List.copyOf(categories);
        if (categories.size() != values.length || errors != null && errors.length != values.length) {
            throw new IllegalArgumentException(categories.size() + " categories but " + values.length + " values"
                    + (errors == null ? "" : " and " + errors.length + " errors"));
        }
        values = values.clone();
        errors = errors == null ? null : errors.clone();
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
     * A bar chart without error bars.
     *
     * @param title the chart title, also the attachment name
     * @param categoryLabel the category-axis label
     * @param valueLabel the value-axis label
     * @param categories one name per bar
     * @param values one value per bar
     */
    public BarChart(String title, String categoryLabel, String valueLabel, List<String> categories, double[] values) {
        this(title, categoryLabel, valueLabel, categories, values, null);
    }
}

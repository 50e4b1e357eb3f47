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
 */
public record BarChart(String title, String categoryLabel, String valueLabel, List<String> categories,
        double[] values) {

    /**
     * Validates and copies the chart.
     *
     * @throws IllegalArgumentException if categories and values differ in length
     */
    public BarChart {
        Objects.requireNonNull(title, "title");
        categories = List.copyOf(categories);
        if (categories.size() != values.length) {
            throw new IllegalArgumentException(categories.size() + " categories but " + values.length + " values");
        }
        values = values.clone();
    }
}

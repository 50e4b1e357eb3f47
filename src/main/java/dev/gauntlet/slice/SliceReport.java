package dev.gauntlet.slice;

import dev.gauntlet.report.Fields;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A metric measured on every slice (or class) of a dataset.
 *
 * @param metric the metric's name, e.g. {@code accuracy} or {@code expected calibration error}
 * @param higherIsBetter whether larger values are better (accuracy) or worse (ECE)
 * @param slices one result per slice, in the order asked
 */
public record SliceReport(String metric, boolean higherIsBetter, List<SliceResult> slices) {

    /** Copies the results. */
    public SliceReport {
        Objects.requireNonNull(metric, "metric");
        slices = List.copyOf(slices);
    }

    /**
     * Returns the worst non-empty slice: the lowest value (highest for ECE), ties to the smaller slice.
     *
     * @return the worst slice, or empty when every slice is empty
     */
    public Optional<SliceResult> worst() {
        Comparator<SliceResult> byValue = Comparator.comparingDouble(SliceResult::value);
        if (!higherIsBetter) {
            byValue = byValue.reversed();
        }
        return slices.stream().filter(s -> s.samples() > 0)
                .min(byValue.thenComparingInt(SliceResult::samples));
    }

    /**
     * Returns the report as an ordered map, for JSON evidence.
     *
     * @return the metric and every slice
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = Fields.of(
                "metric", metric,
                "slices", slices.stream().map(SliceResult::toMap).toList());
        worst().ifPresent(w -> map.put("worst", w.slice()));
        return map;
    }
}

package dev.gauntlet.slice;

import dev.gauntlet.report.Fields;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One slice's metric with its confidence interval.
 *
 * @param slice the slice's name
 * @param samples how many samples it holds
 * @param value the metric (accuracy, robust accuracy, ECE); NaN for an empty slice
 * @param lower the interval's lower bound (NaN for an empty slice)
 * @param upper the interval's upper bound (NaN for an empty slice)
 * @param interval how the interval was computed, e.g. {@code Wilson 95%}
 */
public record SliceResult(String slice, int samples, double value, double lower, double upper, String interval) {

    /** Validates the parts. */
    public SliceResult {
        Objects.requireNonNull(slice, "slice");
        Objects.requireNonNull(interval, "interval");
    }

    /**
     * Returns the result as an ordered map, for JSON evidence.
     *
     * @return name, size, value and bounds
     */
    public Map<String, Object> toMap() {
        return Fields.of(
                "slice", slice,
                "samples", samples,
                "value", value,
                "lower", lower,
                "upper", upper,
                "interval", interval);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%d samples): %.4f, %s interval [%.4f, %.4f]", slice, samples,
                value, interval, lower, upper);
    }
}

package dev.gauntlet.counterfactual;

import dev.gauntlet.report.Fields;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The counterfactuals of a dataset's samples and their aggregates. Medians are over the valid
 * counterfactuals only (NaN when none is valid).
 *
 * @param method the method's name
 * @param counterfactuals one per sample, in order
 */
public record CounterfactualReport(String method, List<Counterfactual> counterfactuals) {

    /** Copies the list. */
    public CounterfactualReport {
        counterfactuals = List.copyOf(counterfactuals);
    }

    /** @return how many samples were explained */
    public int samples() {
        return counterfactuals.size();
    }

    /** @return the fraction of samples with a valid counterfactual */
    public double validity() {
        return counterfactuals.isEmpty() ? Double.NaN
                : (double) counterfactuals.stream().filter(Counterfactual::valid).count() / counterfactuals.size();
    }

    /**
     * Returns the median distance of the valid counterfactuals.
     *
     * @param distance which distance
     * @return the median, NaN when none is valid
     */
    public double medianDistance(Distance distance) {
        return medianOfValid(distance::of);
    }

    /** @return the median number of changed features of the valid counterfactuals */
    public double medianChangedFeatures() {
        return medianOfValid(Counterfactual::changedFeatures);
    }

    /** @return the median distance of valid counterfactuals to their class's reference data */
    public double medianPlausibility() {
        return medianOfValid(Counterfactual::plausibility);
    }

    /** @return the mean search time per sample, in seconds */
    public double meanSeconds() {
        return counterfactuals.stream().mapToDouble(Counterfactual::seconds).average().orElse(Double.NaN);
    }

    private double medianOfValid(ToDoubleFunction<Counterfactual> metric) {
        double[] values = counterfactuals.stream().filter(Counterfactual::valid).mapToDouble(metric).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /**
     * Returns the aggregates as a map, for reports.
     *
     * @return metric names to values
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = Fields.of(
                "method", method,
                "samples", samples(),
                "validity", validity());
        for (Distance distance : Distance.values()) {
            map.put("median" + distance.name().replace("_", ""), medianDistance(distance));
        }
        map.put("medianChangedFeatures", medianChangedFeatures());
        map.put("medianPlausibility", medianPlausibility());
        map.put("meanSecondsPerSample", meanSeconds());
        return map;
    }

    @Override
    public String toString() {
        return "CounterfactualReport" + toMap() + " classes " + Arrays.toString(
                counterfactuals.stream().mapToInt(Counterfactual::counterfactualClass).limit(10).toArray());
    }
}

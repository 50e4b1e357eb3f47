package dev.gauntlet.explain.quality;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import java.util.Arrays;
import java.util.Map;
import dev.gauntlet.explain.Explainer;
import dev.gauntlet.report.Fields;

/**
 * How stable a model's explanations are under small input perturbations, by one stability metric.
 *
 * @param metric the metric's name with its settings, e.g. {@code max-sensitivity(radius=0.02, samples=10)}
 * @param higherIsStabler true for similarities (larger is stabler), false for distances
 * @param perSample the metric's value for each sample
 */
public record StabilityReport(String metric, boolean higherIsStabler, double[] perSample) {

    /** Copies the values. */
    public StabilityReport {
        perSample = perSample.clone();
    }

    /**
     * Measures each sample's stability, explaining its predicted class.
     *
     * @param metric e.g. {@code Stability.maxSensitivity()}
     * @param explainer the attribution method
     * @param classifier the model
     * @param data the samples
     * @param seed the seed of the perturbations and of the explainer
     * @return the report
     */
    public static StabilityReport of(StabilityMetric metric, Explainer explainer, Classifier classifier,
            Dataset data, long seed) {
        return new StabilityReport(metric.name(), metric.higherIsStabler(),
                metric.measure(explainer, classifier, data, seed));
    }

    /**
     * Returns the mean over samples, the value a stability bar judges.
     *
     * @return the mean, NaN for no samples
     */
    public double mean() {
        return Arrays.stream(perSample).average().orElse(Double.NaN);
    }

    /**
     * Returns the least stable sample's value for a distance, the largest value in any case.
     *
     * @return the largest value, NaN for no samples
     */
    public double max() {
        return Arrays.stream(perSample).max().orElse(Double.NaN);
    }

    /**
     * Returns how many samples were measured.
     *
     * @return the sample count
     */
    public int samples() {
        return perSample.length;
    }

    /**
     * Returns the metrics as an ordered map, for JSON evidence.
     *
     * @return the mean, the largest value and every sample's value
     */
    public Map<String, Object> toMap() {
        return Fields.of(
                "mean", mean(),
                "max", max(),
                "perSample", perSample.clone());
    }
}

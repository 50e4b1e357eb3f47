package dev.gauntlet.shift;

import dev.gauntlet.report.Fields;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a drift test between a reference and a current sample.
 *
 * @param test the test's name with its parameters
 * @param statistic the overall statistic (KS: the largest per-feature statistic; MMD: MMD²)
 * @param pValue the overall p-value (KS: the smallest per-feature p-value)
 * @param threshold the significance level the p-values are compared with, after correction
 * @param drift whether drift was detected
 * @param features per-feature results, empty for multivariate tests
 * @param nullStatistics the statistic under the null hypothesis, e.g. MMD² of each permutation;
 *     empty for tests with a closed-form null distribution
 */
public record DriftResult(String test, double statistic, double pValue, double threshold, boolean drift,
        List<FeatureTest> features, double[] nullStatistics) {

    /** Copies the per-feature results and null statistics. */
    public DriftResult {
        features = List.copyOf(features);
        nullStatistics = nullStatistics.clone();
    }

    /**
     * Creates a result without a sampled null distribution.
     *
     * @param test the test's name
     * @param statistic the overall statistic
     * @param pValue the overall p-value
     * @param threshold the significance level after correction
     * @param drift whether drift was detected
     * @param features per-feature results
     */
    public DriftResult(String test, double statistic, double pValue, double threshold, boolean drift,
            List<FeatureTest> features) {
        this(test, statistic, pValue, threshold, drift, features, new double[0]);
    }

    /**
     * Returns the indices of the features found drifting.
     *
     * @return the drifted features, ascending
     */
    public int[] driftedFeatures() {
        return features.stream().filter(f -> f.pValue() < threshold).mapToInt(FeatureTest::feature).toArray();
    }

    /**
     * Returns the result as an ordered map, for JSON evidence.
     *
     * @return the numbers of the result
     */
    public Map<String, Object> toMap() {
        return Fields.of(
                "test", test,
                "statistic", statistic,
                "pValue", pValue,
                "threshold", threshold,
                "drift", drift,
                "driftedFeatures", driftedFeatures(),
                "featurePValues", features.stream().mapToDouble(FeatureTest::pValue).toArray());
    }
}

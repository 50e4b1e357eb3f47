package dev.gauntlet.shift;

import java.util.Objects;

/**
 * One feature's drift test result.
 *
 * @param feature the feature index
 * @param statistic the test statistic (KS: the largest gap between the empirical CDFs)
 * @param pValue the p-value
 * @param method how the p-value was computed where the test offers a choice (KS: {@code "exact"} or
 *     {@code "asymp"}, the one that really ran), empty otherwise
 */
public record FeatureTest(int feature, double statistic, double pValue, String method) {

    /** Checks the method is given (empty when there is no choice). */
    public FeatureTest {
        Objects.requireNonNull(method, "method");
    }

    /**
     * Creates a result of a test with a single way to compute its p-value.
     *
     * @param feature the feature index
     * @param statistic the test statistic
     * @param pValue the p-value
     */
    public FeatureTest(int feature, double statistic, double pValue) {
        this(feature, statistic, pValue, "");
    }
}

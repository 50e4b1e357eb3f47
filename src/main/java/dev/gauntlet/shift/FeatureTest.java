package dev.gauntlet.shift;

/**
 * One feature's drift test result.
 *
 * @param feature the feature index
 * @param statistic the test statistic (KS: the largest gap between the empirical CDFs)
 * @param pValue the p-value
 */
public record FeatureTest(int feature, double statistic, double pValue) {}

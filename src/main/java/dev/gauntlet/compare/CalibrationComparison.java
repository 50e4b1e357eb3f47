package dev.gauntlet.compare;

import dev.gauntlet.report.Fields;

import java.util.Locale;
import java.util.Map;

/**
 * Candidate versus baseline expected calibration error on the same samples, with a paired bootstrap.
 *
 * <p>Each of {@code resamples} seeded resamples of the samples (with replacement, the same indices for
 * both models) gives one replicate of {@code ECE(candidate) − ECE(baseline)}; the interval is the
 * percentile interval of the replicates, and {@code pNotWorse} the fraction of replicates at or below 0,
 * the bootstrap's one-sided p-value for "the candidate's ECE is higher" (Efron and Tibshirani 1993,
 * ch. 16).
 *
 * @param samples the paired samples
 * @param bins the confidence bins of the ECE
 * @param baselineEce the baseline's ECE
 * @param candidateEce the candidate's ECE
 * @param lower the interval's lower bound of candidate − baseline
 * @param upper its upper bound
 * @param confidence the interval's two-sided level
 * @param pNotWorse the fraction of bootstrap replicates where the candidate's ECE is not higher
 * @param resamples the bootstrap resamples
 */
public record CalibrationComparison(int samples, int bins, double baselineEce, double candidateEce, double lower,
        double upper, double confidence, double pNotWorse, int resamples) {

    /**
     * Returns candidate − baseline ECE: positive when the candidate is worse calibrated.
     *
     * @return the difference
     */
    public double difference() {
        return candidateEce - baselineEce;
    }

    /**
     * Returns the comparison as an ordered map, for JSON evidence.
     *
     * @return every number
     */
    public Map<String, Object> toMap() {
        return Fields.of(
                "samples", samples,
                "bins", bins,
                "baselineEce", baselineEce,
                "candidateEce", candidateEce,
                "difference", difference(),
                "lower", lower,
                "upper", upper,
                "confidence", confidence,
                "bootstrapPNotWorse", pNotWorse,
                "resamples", resamples);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "ECE baseline %.4f, candidate %.4f, difference %+.4f (%.0f%% paired bootstrap interval [%+.4f, %+.4f], "
                        + "%d resamples); bootstrap one-sided p %.3g",
                baselineEce, candidateEce, difference(), confidence * 100, lower, upper, resamples, pNotWorse);
    }
}

package dev.gauntlet.stats;

import dev.gauntlet.report.Fields;

import org.apache.commons.math3.special.Gamma;

import java.util.Map;

/**
 * McNemar's test of two classifiers' paired predictions on the same samples, decided on the
 * discordant pairs only: {@code b} = baseline right and candidate wrong (<em>regressions</em>),
 * {@code c} = baseline wrong and candidate right (<em>improvements</em>). Under the null hypothesis of equal
 * accuracy, {@code b ~ Binomial(b + c, ½)} (McNemar 1947; the exact conditional form).
 *
 * <p>Four p-values: the exact two-sided {@code min(1, 2·P(X ≤ min(b, c)))}, the exact one-sided
 * {@code P(X ≥ b)} (alternative: more regressions than improvements, i.e. the candidate is worse),
 * and their mid-p versions, which count only half the probability of the observed table:
 * one-sided {@code P(X > b) + ½·P(X = b)}, two-sided {@code 2·P(X ≤ min) − P(X = min)}. Fagerland,
 * Lydersen and Laake (2013, "The McNemar test for binary matched-pairs data: mid-p and asymptotic
 * are better than exact conditional", BMC Medical Research Methodology 13:91) show the exact test is
 * needlessly conservative and recommend the mid-p test, which keeps close to the nominal level; the
 * gates decide on the one-sided mid-p. With no discordant pair ({@code b + c = 0}) there is no
 * evidence either way and every p-value is 1 (scipy refuses {@code n = 0}).
 *
 * <p>The exact p-values equal scipy 1.10.1's {@code binomtest(b, b + c, 0.5)} (two-sided and
 * {@code alternative='greater'}), the mid-p values scipy's {@code binom} sums, to 1e-9 absolute for
 * {@code b + c} up to 5,000 ({@code McNemarParityTests}).
 *
 * @param b regressions: discordant pairs counting against the candidate
 * @param c improvements: discordant pairs counting for it
 * @param exactTwoSided the exact two-sided p-value
 * @param exactOneSided the exact one-sided p-value, alternative {@code b > c}
 * @param midPTwoSided the two-sided mid-p value
 * @param midPOneSided the one-sided mid-p value, alternative {@code b > c}
 */
public record McNemarTest(int b, int c, double exactTwoSided, double exactOneSided, double midPTwoSided,
        double midPOneSided) {

    private static final double LN2 = Math.log(2);

    /**
     * Runs the test on the discordant counts.
     *
     * @param b regressions (baseline right, candidate wrong), at least 0
     * @param c improvements (baseline wrong, candidate right), at least 0
     * @return the test
     */
    public static McNemarTest of(int b, int c) {
        if (b < 0 || c < 0) {
            throw new IllegalArgumentException("discordant counts must be >= 0, got b=" + b + ", c=" + c);
        }
        int n = b + c;
        if (n == 0) {
            return new McNemarTest(0, 0, 1, 1, 1, 1);
        }
        int low = Math.min(b, c);
        double lowerTail = lowerTail(low, n);
        double pmfLow = pmf(low, n);
        double exactTwo = Math.min(1.0, 2 * lowerTail);
        double midTwo = Math.min(1.0, 2 * lowerTail - pmfLow);
        // P(X >= b) = P(X <= c) by symmetry
        double atLeastB = lowerTail(c, n);
        double midOne = atLeastB - 0.5 * pmf(b, n);
        return new McNemarTest(b, c, exactTwo, atLeastB, midTwo, midOne);
    }

    /**
     * Returns the number of discordant pairs, {@code b + c}.
     *
     * @return the pairs the test is decided on
     */
    public int discordant() {
        return b + c;
    }

    /**
     * Returns the test as an ordered map, for JSON evidence.
     *
     * @return counts and the four p-values
     */
    public Map<String, Object> toMap() {
        return Fields.of(
                "regressions (b)", b,
                "improvements (c)", c,
                "exactTwoSidedP", exactTwoSided,
                "exactOneSidedP", exactOneSided,
                "midPTwoSided", midPTwoSided,
                "midPOneSided", midPOneSided);
    }

    /** P(X ≤ k) for X ~ Binomial(n, ½), summing from 0 (k ≤ n / 2 keeps the sum on the small side). */
    private static double lowerTail(int k, int n) {
        if (k >= n) {
            return 1.0;
        }
        if (k > n / 2) {
            return 1.0 - lowerTail(n - k - 1, n);
        }
        double sum = 0;
        for (int x = 0; x <= k; x++) {
            sum += pmf(x, n);
        }
        return Math.min(1.0, sum);
    }

    /** P(X = k) for X ~ Binomial(n, ½), through the log-gamma function. */
    static double pmf(int k, int n) {
        return Math.exp(Gamma.logGamma(n + 1.0) - Gamma.logGamma(k + 1.0) - Gamma.logGamma(n - k + 1.0) - n * LN2);
    }
}

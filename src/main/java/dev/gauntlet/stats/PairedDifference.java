package dev.gauntlet.stats;

import dev.gauntlet.report.Fields;

import java.util.Map;

/**
 * The difference of two paired proportions, {@code candidate − baseline} accuracy on the same
 * samples, with Newcombe's hybrid-score ("square-and-add") confidence interval for paired data.
 *
 * <p>Newcombe (1998, "Improved confidence intervals for the difference between binomial proportions
 * based on paired data", Statistics in Medicine 17:2635–2650), method 10: with Wilson intervals
 * {@code [l₁, u₁]} of the candidate's accuracy {@code p₁} and {@code [l₂, u₂]} of the baseline's
 * {@code p₂}, and {@code φ} the continuity-corrected correlation of the two outcomes
 * ({@code A = ad − bc}; {@code φ = (A − n/2)/√(…)} when {@code A > n/2}, 0 when
 * {@code 0 ≤ A ≤ n/2}, {@code A/√(…)} when negative, 0 when a margin is empty):
 * {@code L = Δ − √((p₁ − l₁)² + (u₂ − p₂)² − 2φ(p₁ − l₁)(u₂ − p₂))},
 * {@code U = Δ + √((p₂ − l₂)² + (u₁ − p₁)² − 2φ(p₂ − l₂)(u₁ − p₁))}. Fagerland, Lydersen and Laake
 * (2014, "Recommended tests and confidence intervals for paired binomial proportions", Statistics in
 * Medicine 33:2850–2875) recommend it (with Tango's and Bonett–Price's) for its coverage close to
 * nominal at every sample size; it is in closed form, unlike Tango's score interval. The formula is
 * the one of their book's code ({@code contingencytables::Newcombe_square_and_add_CI_paired_2x2}).
 *
 * @param bothRight a: samples both models classify correctly
 * @param regressions b: baseline right, candidate wrong
 * @param improvements c: baseline wrong, candidate right
 * @param bothWrong d: samples both get wrong
 * @param lower the interval's lower bound of {@code candidate − baseline}
 * @param upper its upper bound
 * @param confidence the two-sided confidence level
 */
public record PairedDifference(int bothRight, int regressions, int improvements, int bothWrong, double lower,
        double upper, double confidence) {

    /**
     * Computes the difference and Newcombe's interval.
     *
     * @param bothRight a
     * @param regressions b
     * @param improvements c
     * @param bothWrong d
     * @param confidence the two-sided level, in (0, 1)
     * @return the difference with its interval
     */
    public static PairedDifference newcombe(int bothRight, int regressions, int improvements, int bothWrong,
            double confidence) {
        if (bothRight < 0 || regressions < 0 || improvements < 0 || bothWrong < 0) {
            throw new IllegalArgumentException("cell counts must be >= 0");
        }
        int n = bothRight + regressions + improvements + bothWrong;
        if (n < 1) {
            throw new IllegalArgumentException("a paired difference needs at least one sample");
        }
        int candidateRight = bothRight + improvements;
        int baselineRight = bothRight + regressions;
        double p1 = (double) candidateRight / n;
        double p2 = (double) baselineRight / n;
        ProportionInterval w1 = Proportions.wilson(candidateRight, n, confidence);
        ProportionInterval w2 = Proportions.wilson(baselineRight, n, confidence);
        // rows: candidate right / wrong; columns: baseline right / wrong
        double rowRight = candidateRight;
        double rowWrong = n - candidateRight;
        double colRight = baselineRight;
        double colWrong = n - baselineRight;
        double phi = 0;
        if (rowRight > 0 && rowWrong > 0 && colRight > 0 && colWrong > 0) {
            double product = Math.sqrt(rowRight * rowWrong * colRight * colWrong);
            double a = (double) bothRight * bothWrong - (double) improvements * regressions;
            phi = a > n / 2.0 ? (a - n / 2.0) / product : a >= 0 ? 0 : a / product;
        }
        double delta = p1 - p2;
        double dl1 = p1 - w1.lower();
        double du2 = w2.upper() - p2;
        double dl2 = p2 - w2.lower();
        double du1 = w1.upper() - p1;
        double lower = delta - Math.sqrt(Math.max(0, dl1 * dl1 + du2 * du2 - 2 * phi * dl1 * du2));
        double upper = delta + Math.sqrt(Math.max(0, dl2 * dl2 + du1 * du1 - 2 * phi * dl2 * du1));
        return new PairedDifference(bothRight, regressions, improvements, bothWrong, Math.max(-1, lower),
                Math.min(1, upper), confidence);
    }

    /**
     * Returns the number of paired samples.
     *
     * @return a + b + c + d
     */
    public int samples() {
        return bothRight + regressions + improvements + bothWrong;
    }

    /**
     * Returns the observed difference {@code (c − b) / n}, candidate minus baseline.
     *
     * @return the difference of the accuracies
     */
    public double estimate() {
        return (double) (improvements - regressions) / samples();
    }

    /**
     * Returns the interval as an ordered map, for JSON evidence.
     *
     * @return the difference, its bounds, the level and the method
     */
    public Map<String, Object> toMap() {
        return Fields.of(
                "difference", estimate(),
                "lower", lower,
                "upper", upper,
                "confidence", confidence,
                "method", "Newcombe hybrid score (1998, method 10)");
    }
}

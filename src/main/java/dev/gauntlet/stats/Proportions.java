package dev.gauntlet.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Beta;

import java.util.Objects;

/**
 * Two-sided confidence intervals of a binomial proportion, equal to scipy 1.10.1's
 * {@code binomtest(k, n).proportion_ci(confidence_level, method)} (asserted to 1e-9 absolute by
 * {@code McNemarParityTests}).
 *
 * <p>{@link IntervalMethod#WILSON}: centre {@code (2k + z²) / (2(n + z²))}, half-width
 * {@code z·√(4k(n − k)/n + z²) / (2(n + z²))}, {@code z = Φ⁻¹(½ + ½·confidence)}, the lower bound 0
 * at {@code k = 0} and the upper 1 at {@code k = n} (Wilson 1927; Newcombe 1998, "Two-sided confidence
 * intervals for the single proportion", Statistics in Medicine 17:857–872, method 3).
 * {@link IntervalMethod#CLOPPER_PEARSON}: the lower bound solves {@code P(X ≥ k | p) = α/2}, the upper
 * {@code P(X ≤ k | p) = α/2} (0 and 1 at the ends), found by bisection on the regularized incomplete
 * beta function to 1e-15, as scipy's brentq finds them to 2e-12.
 *
 * <pre>{@code
 * Proportions.wilson(27, 30, 0.95);          // 0.9000 (27/30), Wilson 95% interval [0.7438, 0.9654]
 * Proportions.clopperPearson(27, 30, 0.95);  // [0.7347, 0.9789]
 * }</pre>
 */
public final class Proportions {

    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private Proportions() {}

    /**
     * Computes an interval by the given method.
     *
     * @param method Wilson or Clopper–Pearson
     * @param successes k
     * @param trials n, at least 1
     * @param confidence the two-sided level, in (0, 1)
     * @return the interval
     */
    public static ProportionInterval interval(IntervalMethod method, int successes, int trials, double confidence) {
        Objects.requireNonNull(method, "method");
        return method == IntervalMethod.WILSON ? wilson(successes, trials, confidence)
                : clopperPearson(successes, trials, confidence);
    }

    /**
     * Wilson's score interval, without continuity correction.
     *
     * @param successes k
     * @param trials n, at least 1
     * @param confidence the two-sided level, in (0, 1)
     * @return the interval
     */
    public static ProportionInterval wilson(int successes, int trials, double confidence) {
        check(successes, trials, confidence);
        double z = NORMAL.inverseCumulativeProbability(0.5 + 0.5 * confidence);
        double n = trials;
        double p = successes / n;
        double q = 1 - p;
        double denominator = 2 * (n + z * z);
        double centre = (2 * n * p + z * z) / denominator;
        double delta = z / denominator * Math.sqrt(4 * n * p * q + z * z);
        double lower = successes == 0 ? 0.0 : centre - delta;
        double upper = successes == trials ? 1.0 : centre + delta;
        return new ProportionInterval(successes, trials, lower, upper, confidence, IntervalMethod.WILSON);
    }

    /**
     * The Clopper–Pearson interval.
     *
     * @param successes k
     * @param trials n, at least 1
     * @param confidence the two-sided level, in (0, 1)
     * @return the interval
     */
    public static ProportionInterval clopperPearson(int successes, int trials, double confidence) {
        check(successes, trials, confidence);
        double alpha = (1 - confidence) / 2;
        // P(X >= k | p) = I_p(k, n - k + 1) rises with p; P(X <= k | p) = 1 - I_p(k + 1, n - k) falls with p
        double lower = successes == 0 ? 0.0 : solveIncreasing(successes, trials - successes + 1.0, alpha);
        double upper = successes == trials ? 1.0 : solveIncreasing(successes + 1.0, trials - successes, 1 - alpha);
        return new ProportionInterval(successes, trials, lower, upper, confidence, IntervalMethod.CLOPPER_PEARSON);
    }

    /** The p in (0, 1) with I_p(a, b) = target, by bisection (I_p rises monotonically in p). */
    private static double solveIncreasing(double a, double b, double target) {
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 200 && hi - lo > 1e-16; i++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (Beta.regularizedBeta(mid, a, b, 1e-16) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    private static void check(int successes, int trials, double confidence) {
        if (trials < 1 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials and trials >= 1, got " + successes
                    + " of " + trials);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence + "; e.g. 0.95");
        }
    }
}

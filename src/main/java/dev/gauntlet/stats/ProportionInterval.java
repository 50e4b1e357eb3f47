package dev.gauntlet.stats;

import dev.gauntlet.report.Fields;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A two-sided confidence interval of a binomial proportion, e.g. an accuracy measured on a slice.
 *
 * @param successes k, e.g. the correctly classified samples
 * @param trials n, the samples
 * @param lower the interval's lower bound, in [0, 1]
 * @param upper the interval's upper bound, in [lower, 1]
 * @param confidence the two-sided confidence level, e.g. 0.95
 * @param method how the interval was computed
 */
public record ProportionInterval(int successes, int trials, double lower, double upper, double confidence,
        IntervalMethod method) {

    /** Validates the parts. */
    public ProportionInterval {
        Objects.requireNonNull(method, "method");
        if (trials < 1 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials and trials >= 1, got " + successes
                    + " of " + trials);
        }
    }

    /**
     * Returns the point estimate {@code k / n}.
     *
     * @return the observed proportion
     */
    public double estimate() {
        return (double) successes / trials;
    }

    /**
     * Returns the interval as an ordered map, for JSON evidence.
     *
     * @return estimate, bounds, confidence, method and counts
     */
    public Map<String, Object> toMap() {
        return Fields.of(
                "estimate", estimate(),
                "lower", lower,
                "upper", upper,
                "confidence", confidence,
                "method", method.label(),
                "successes", successes,
                "trials", trials);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.4f (%d/%d), %s %.0f%% interval [%.4f, %.4f]", estimate(),
                successes, trials, method.label(), confidence * 100, lower, upper);
    }
}

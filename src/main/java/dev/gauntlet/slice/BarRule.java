package dev.gauntlet.slice;

/**
 * How a slice's metric, with its confidence interval, is judged against a bar. A slice of 30 samples
 * at 80% accuracy has a 95% Wilson interval of about [0.63, 0.90]: whether it "meets a bar of 0.85"
 * is a matter of noise, and the rule says who gets the benefit of that doubt.
 */
public enum BarRule {

    /**
     * Fail only when the whole interval misses the bar (for an at-least bar, its upper bound is below
     * the bar): the data show the slice is under the bar. A small slice does not fail on noise; it can
     * pass on it. The default: a gate that fails should be right to fail.
     */
    FAIL_WHEN_CLEARLY_BELOW,
    /**
     * Fail unless the whole interval meets the bar (for an at-least bar, its lower bound reaches the
     * bar): the data must show the slice is above the bar. A small slice does not pass on noise; it
     * fails until it has enough samples. For safety-critical slices.
     */
    PASS_WHEN_CLEARLY_ABOVE,
    /** Judge the point estimate alone, ignoring the interval (what an unsliced check does). */
    POINT_ESTIMATE;

    /**
     * Tells whether a slice fails the bar under this rule.
     *
     * @param result the slice's metric and interval
     * @param bar the bar
     * @param higherIsBetter whether the bar is an at-least bar (accuracy) or an at-most bar (ECE)
     * @return true when the slice fails
     */
    public boolean fails(SliceResult result, double bar, boolean higherIsBetter) {
        double optimistic = higherIsBetter ? result.upper() : result.lower();
        double pessimistic = higherIsBetter ? result.lower() : result.upper();
        double judged = switch (this) {
            case FAIL_WHEN_CLEARLY_BELOW -> optimistic;
            case PASS_WHEN_CLEARLY_ABOVE -> pessimistic;
            case POINT_ESTIMATE -> result.value();
        };
        return higherIsBetter ? !(judged >= bar) : !(judged <= bar);
    }

    /**
     * Describes the rule for an at-least or at-most bar, for evidence and failure messages.
     *
     * @param higherIsBetter whether the bar is an at-least bar
     * @return e.g. {@code fail when the interval's upper bound is below the bar}
     */
    public String describe(boolean higherIsBetter) {
        return switch (this) {
            case FAIL_WHEN_CLEARLY_BELOW -> higherIsBetter ? "fail when the interval's upper bound is below the bar"
                    : "fail when the interval's lower bound is above the bar";
            case PASS_WHEN_CLEARLY_ABOVE -> higherIsBetter ? "fail unless the interval's lower bound reaches the bar"
                    : "fail unless the interval's upper bound is within the bar";
            case POINT_ESTIMATE -> "judge the point estimate";
        };
    }
}

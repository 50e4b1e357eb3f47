package dev.gauntlet.data;

/**
 * The range every feature value of a dataset lies in, such as {@code [0, 1]} for images.
 *
 * <p>Attacks and corruptions clip their outputs to these bounds so that a perturbed sample is
 * still a valid input. Standardised tabular data has no natural range: use {@link #unbounded()}.
 *
 * @param lower the smallest allowed value (may be {@link Double#NEGATIVE_INFINITY})
 * @param upper the largest allowed value (may be {@link Double#POSITIVE_INFINITY})
 */
public record ValueBounds(double lower, double upper) {

    private static final ValueBounds UNIT = new ValueBounds(0, 1);
    private static final ValueBounds UNBOUNDED =
            new ValueBounds(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

    /**
     * Validates the bounds.
     *
     * @throws IllegalArgumentException if a bound is NaN or {@code lower >= upper}
     */
    public ValueBounds {
        if (Double.isNaN(lower) || Double.isNaN(upper)) {
            throw new IllegalArgumentException(
                    "bounds must not be NaN, got [" + lower + ", " + upper + "]");
        }
        if (lower >= upper) {
            throw new IllegalArgumentException(
                    "bounds are inverted or empty: lower=" + lower + " must be < upper=" + upper
                            + "; swap them or widen the range");
        }
    }

    /**
     * Returns the bounds {@code [lower, upper]}.
     *
     * @param lower the smallest allowed value
     * @param upper the largest allowed value
     * @return the bounds
     */
    public static ValueBounds of(double lower, double upper) {
        return new ValueBounds(lower, upper);
    }

    /**
     * Returns {@code [0, 1]}, the range of pixel intensities scaled from bytes.
     *
     * @return the unit interval
     */
    public static ValueBounds unit() {
        return UNIT;
    }

    /**
     * Returns {@code (-inf, +inf)}, for data without a natural range.
     *
     * @return bounds that never clip
     */
    public static ValueBounds unbounded() {
        return UNBOUNDED;
    }

    /**
     * Tells whether a value lies within these bounds (inclusive).
     *
     * @param value the value
     * @return {@code true} if {@code lower <= value <= upper}
     */
    public boolean contains(double value) {
        return value >= lower && value <= upper;
    }
}

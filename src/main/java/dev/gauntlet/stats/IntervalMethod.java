package dev.gauntlet.stats;

/** How a confidence interval of a binomial proportion (an accuracy on {@code n} samples) is computed. */
public enum IntervalMethod {

    /**
     * Wilson's score interval (Wilson 1927), without continuity correction: close to nominal coverage
     * on average, never outside [0, 1], and sensible at 0 and {@code n} successes (Brown, Cai and
     * DasGupta 2001 recommend it for small {@code n}). scipy's {@code proportion_ci(method='wilson')}.
     */
    WILSON("Wilson"),
    /**
     * The Clopper–Pearson "exact" interval (Clopper and Pearson 1934): inverts two one-sided binomial
     * tests, so its coverage is at least nominal for every true proportion — wider (conservative) than
     * Wilson. scipy's {@code proportion_ci(method='exact')}.
     */
    CLOPPER_PEARSON("Clopper-Pearson");

    private final String label;

    IntervalMethod(String label) {
        this.label = label;
    }

    /**
     * Returns the method's name as people write it.
     *
     * @return e.g. {@code Wilson}
     */
    public String label() {
        return label;
    }
}

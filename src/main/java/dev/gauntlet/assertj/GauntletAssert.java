package dev.gauntlet.assertj;

import dev.gauntlet.assertj.error.ShouldMeetThreshold;
import dev.gauntlet.report.Evidence;

import org.assertj.core.api.AbstractAssert;

import java.util.Map;

/**
 * The base of Gauntlet's assertions: each check runs inside an evidence step, records its
 * metrics and pictures, and only then compares against its threshold.
 *
 * @param <SELF> the concrete assertion type
 * @param <ACTUAL> the value under test
 */
public abstract class GauntletAssert<SELF extends GauntletAssert<SELF, ACTUAL>, ACTUAL>
        extends AbstractAssert<SELF, ACTUAL> {

    /** How navigation methods create the next assertion; set by a soft-assertions provider. */
    AssertFactory factory = AssertFactory.HARD;

    /**
     * Creates the assertion.
     *
     * @param actual the value under test
     * @param selfType the concrete assertion class
     */
    protected GauntletAssert(ACTUAL actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /**
     * Returns the sink the current test's evidence goes to.
     *
     * @return the evidence sink
     */
    protected Evidence evidence() {
        return Evidence.current();
    }

    /**
     * Fails unless {@code actualValue >= threshold}.
     *
     * @param check the check's name
     * @param parameters the check's parameters, shown in the message
     * @param samples the sample size
     * @param metric the metric's name
     * @param threshold the least acceptable value
     * @param actualValue the measured value
     */
    protected void failUnlessAtLeast(String check, Map<String, ?> parameters, int samples, String metric,
            double threshold, double actualValue) {
        if (!(actualValue >= threshold)) {
            throwAssertionError(ShouldMeetThreshold.atLeast(String.valueOf(actual), check, parameters, samples, metric,
                    threshold, actualValue));
        }
    }

    /**
     * Fails unless {@code actualValue <= threshold}.
     *
     * @param check the check's name
     * @param parameters the check's parameters, shown in the message
     * @param samples the sample size
     * @param metric the metric's name
     * @param threshold the largest acceptable value
     * @param actualValue the measured value
     */
    protected void failUnlessAtMost(String check, Map<String, ?> parameters, int samples, String metric,
            double threshold, double actualValue) {
        if (!(actualValue <= threshold)) {
            throwAssertionError(ShouldMeetThreshold.atMost(String.valueOf(actual), check, parameters, samples, metric,
                    threshold, actualValue));
        }
    }

    /**
     * Checks that a threshold is a fraction.
     *
     * @param value the threshold
     * @param argument its name, for the message
     * @throws IllegalArgumentException if it is outside [0, 1] or NaN
     */
    protected static void requireFraction(double value, String argument) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(argument + " must be in [0, 1], got " + value
                    + "; write a fraction (0.9 for 90%)");
        }
    }
}

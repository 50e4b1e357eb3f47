package dev.gauntlet.assertj;

import dev.gauntlet.assertj.error.ShouldMeetThreshold;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.LineChart;
import dev.gauntlet.report.Verdicts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.AbstractAssert;
import org.assertj.core.error.ErrorMessageFactory;

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

    /** Set by {@link #asWarning()}: a missed bar warns instead of failing. */
    private boolean warningOnly;

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
     * Makes the bars checked by this assertion soft: a missed bar does not fail the test but is recorded as a
     * warning — printed on the console, a broken step and a {@code warning} label in Allure (its own category,
     * "Warnings (soft bars)"), the test passing. For a bar the team wants to watch before enforcing it:
     *
     * <pre>{@code
     * assertThatModel(model).on(test).asWarning().hasAccuracyAtLeast(0.95); // warn below 0.95
     * assertThatModel(model).on(test).hasAccuracyAtLeast(0.90);             // fail below 0.90
     * }</pre>
     *
     * It applies to the threshold checks of this assertion object (call it right before the bar); errors that
     * are not a missed bar (bad arguments, a model that cannot run) still fail.
     *
     * @return this assertion, now warning instead of failing
     */
    public SELF asWarning() {
        warningOnly = true;
        return myself;
    }

    /**
     * Tells whether this assertion warns instead of failing, for navigation methods that create the next one.
     *
     * @return {@code true} after {@link #asWarning()}
     */
    protected boolean isWarningOnly() {
        return warningOnly;
    }

    /**
     * Fails with the message {@code factory} makes, or records it as a warning after {@link #asWarning()}: for
     * bars that are not a single value against a threshold (slices, comparisons).
     *
     * @param factory the failure message
     */
    protected void failOrWarnWith(ErrorMessageFactory factory) {
        try {
            throwAssertionError(factory);
        } catch (AssertionError error) {
            failOrWarn(error);
        }
    }

    /** Fails with {@code error}, or records it as a warning after {@link #asWarning()}. */
    private void failOrWarn(AssertionError error) {
        if (warningOnly) {
            evidence().warning(error.getMessage());
        } else {
            throw error;
        }
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
        failUnless(true, check, parameters, samples, metric, threshold, actualValue);
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
        failUnless(false, check, parameters, samples, metric, threshold, actualValue);
    }

    /**
     * Fails unless {@code actualValue} is on the passing side of {@code threshold}; records the verdict
     * either way, and only warns on a soft bar.
     *
     * @param atLeast whether passing means {@code actualValue >= threshold} (or {@code <=})
     * @param check the check's name
     * @param parameters the check's parameters, shown in the message
     * @param samples the sample size
     * @param metric the metric's name
     * @param threshold the bar
     * @param actualValue the measured value; NaN fails
     */
    protected void failUnless(boolean atLeast, String check, Map<String, ?> parameters, int samples, String metric,
            double threshold, double actualValue) {
        boolean met = atLeast ? actualValue >= threshold : actualValue <= threshold;
        Verdicts.record(String.valueOf(actual), check, metric, atLeast ? ">=" : "<=", threshold, actualValue,
                met ? "passed" : warningOnly ? "warned" : "failed");
        if (!met) {
            String subject = String.valueOf(actual);
            try {
                throwAssertionError(atLeast ? ShouldMeetThreshold.atLeast(subject, check, parameters, samples, metric,
                        threshold, actualValue) : ShouldMeetThreshold.atMost(subject, check, parameters, samples,
                        metric, threshold, actualValue));
            } catch (AssertionError error) {
                failOrWarn(error);
            }
        }
    }

    /**
     * Draws histograms of several groups of values over shared bins, as densities (count / (n · bin width)),
     * so groups of different sizes (456 reference vs 113 current rows) can be compared by eye; each group's
     * size is in its legend.
     *
     * @param title the chart title
     * @param xLabel the value axis label
     * @param groups group name to values (NaN and infinite values are left out)
     * @param bins the number of equal-width bins between the finite minimum and maximum
     * @return the chart
     */
    protected static LineChart histogram(String title, String xLabel, Map<String, double[]> groups, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] values : groups.values()) {
            for (double v : values) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double width = (hi - lo) / bins;
        double[] centres = new double[bins];
        for (int b = 0; b < bins; b++) {
            centres[b] = lo + (b + 0.5) * width;
        }
        List<LineChart.Series> series = new ArrayList<>();
        for (Map.Entry<String, double[]> group : groups.entrySet()) {
            double[] density = new double[bins];
            int finite = 0;
            for (double v : group.getValue()) {
                if (Double.isFinite(v)) {
                    density[Math.min(bins - 1, (int) ((v - lo) / width))]++;
                    finite++;
                }
            }
            for (int b = 0; b < bins && finite > 0; b++) {
                density[b] /= finite * width;
            }
            series.add(new LineChart.Series(group.getKey() + " (" + group.getValue().length + ")", centres, density));
        }
        return new LineChart(title, xLabel, "density", series);
    }

    /**
     * Tells whether samples can be drawn as grey images, and their size.
     *
     * @param data the data
     * @return {@code {height, width}} for (1, H, W) or (H, W) samples, else null
     */
    protected static int[] greyImageSize(Dataset data) {
        long[] shape = data.sampleShape().getShape();
        boolean image = shape.length == 3 && shape[0] == 1 || shape.length == 2;
        return image ? new int[] {(int) shape[shape.length - 2], (int) shape[shape.length - 1]} : null;
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

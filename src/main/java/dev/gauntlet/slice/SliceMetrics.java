package dev.gauntlet.slice;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.stats.IntervalMethod;
import dev.gauntlet.stats.ProportionInterval;
import dev.gauntlet.stats.Proportions;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Measures a metric on every slice of a dataset, with a confidence interval per slice.
 *
 * <p>Accuracy and robust accuracy are binomial proportions: their interval is Wilson's or
 * Clopper–Pearson's ({@link Proportions}). The expected calibration error is not a proportion, so its
 * interval is the percentile bootstrap (Efron and Tibshirani 1993): {@code resamples} seeded
 * resamples of the slice with replacement, the interval between the {@code (1 − confidence)/2} and
 * {@code (1 + confidence)/2} quantiles (linear interpolation, numpy's default). ECE is biased upward on
 * few samples (its bins are noisy), so a small slice's ECE and its interval sit high: judge small
 * slices with {@link BarRule#FAIL_WHEN_CLEARLY_BELOW}, which fails only when the lower bound is over the bar.
 */
public final class SliceMetrics {

    /** The default number of bootstrap resamples of a slice's ECE. */
    public static final int DEFAULT_RESAMPLES = 1000;

    private SliceMetrics() {}

    /**
     * Returns one slice per class of the data: {@code class 0}, {@code class 1}, ...
     *
     * @param numClasses the class count
     * @return the slices
     */
    public static List<Slice> everyClass(int numClasses) {
        List<Slice> slices = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            slices.add(Slice.ofClass(c));
        }
        return slices;
    }

    /**
     * Measures the fraction of correct outcomes (accuracy, or robust accuracy) on each slice.
     *
     * @param outcomes the per-sample outcomes on {@code data}
     * @param data the dataset the slices select from
     * @param slices the slices
     * @param method the interval's method
     * @param confidence the interval's two-sided level
     * @return the report
     */
    public static SliceReport accuracy(Outcomes outcomes, Dataset data, List<Slice> slices, IntervalMethod method,
            double confidence) {
        check(outcomes, data);
        List<SliceResult> results = new ArrayList<>();
        String label = method.label() + " " + percent(confidence);
        for (Slice slice : slices) {
            int[] indices = slice.indices(data);
            if (indices.length == 0) {
                results.add(new SliceResult(slice.name(), 0, Double.NaN, Double.NaN, Double.NaN, label));
                continue;
            }
            ProportionInterval interval = Proportions.interval(method, outcomes.correctAmong(indices), indices.length,
                    confidence);
            results.add(new SliceResult(slice.name(), indices.length, interval.estimate(), interval.lower(),
                    interval.upper(), label));
        }
        return new SliceReport(outcomes.metric(), true, results);
    }

    /**
     * Measures the expected calibration error on each slice, with a percentile-bootstrap interval.
     *
     * @param outcomes the per-sample clean outcomes on {@code data}
     * @param data the dataset the slices select from
     * @param slices the slices
     * @param bins the number of confidence bins (15 in Guo et al. 2017)
     * @param confidence the interval's two-sided level
     * @param resamples the bootstrap resamples per slice
     * @param seed the seed of the resampling
     * @return the report
     */
    public static SliceReport calibration(Outcomes outcomes, Dataset data, List<Slice> slices, int bins,
            double confidence, int resamples, long seed) {
        check(outcomes, data);
        if (resamples < 10) {
            throw new IllegalArgumentException("use at least 10 bootstrap resamples, got " + resamples);
        }
        List<SliceResult> results = new ArrayList<>();
        String label = "percentile bootstrap " + percent(confidence) + " (" + resamples + " resamples)";
        for (int s = 0; s < slices.size(); s++) {
            Slice slice = slices.get(s);
            int[] indices = slice.indices(data);
            if (indices.length == 0) {
                results.add(new SliceResult(slice.name(), 0, Double.NaN, Double.NaN, Double.NaN, label));
                continue;
            }
            double ece = outcomes.expectedCalibrationError(indices, bins);
            double[] replicates = bootstrap(outcomes, indices, bins, resamples, new SplittableRandom(seed + s));
            results.add(new SliceResult(slice.name(), indices.length, ece, quantile(replicates, (1 - confidence) / 2),
                    quantile(replicates, (1 + confidence) / 2), label));
        }
        return new SliceReport("expected calibration error", false, results);
    }

    /**
     * Draws bootstrap replicates of the ECE of a group of samples.
     *
     * @param outcomes the outcomes
     * @param indices the group
     * @param bins the bins
     * @param resamples how many replicates
     * @param random the seeded source
     * @return the sorted replicates
     */
    static double[] bootstrap(Outcomes outcomes, int[] indices, int bins, int resamples, SplittableRandom random) {
        double[] replicates = new double[resamples];
        int[] resample = new int[indices.length];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < resample.length; i++) {
                resample[i] = indices[random.nextInt(indices.length)];
            }
            replicates[r] = outcomes.expectedCalibrationError(resample, bins);
        }
        Arrays.sort(replicates);
        return replicates;
    }

    /**
     * The q-quantile of sorted values, interpolating linearly (numpy's default).
     *
     * @param sorted ascending values
     * @param q the quantile, in [0, 1]
     * @return the quantile
     */
    public static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static String percent(double confidence) {
        return String.format(Locale.ROOT, "%s%%", new BigDecimal(confidence * 100)
                .round(new MathContext(6)).stripTrailingZeros().toPlainString());
    }

    private static void check(Outcomes outcomes, Dataset data) {
        Objects.requireNonNull(outcomes, "outcomes");
        Objects.requireNonNull(data, "data");
        if (outcomes.size() != data.size()) {
            throw new IllegalArgumentException("outcomes of " + outcomes.size() + " samples do not belong to "
                    + data.name() + " (" + data.size() + " samples)");
        }
    }
}

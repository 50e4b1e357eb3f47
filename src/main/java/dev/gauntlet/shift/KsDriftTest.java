package dev.gauntlet.shift;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;

import org.apache.commons.math3.distribution.KolmogorovSmirnovDistribution;

import java.util.Arrays;
import java.util.List;

/**
 * Per-feature two-sample Kolmogorov–Smirnov drift test, as alibi-detect's {@code KSDrift}: a
 * two-sided KS test on every feature, then a multiple-testing correction — Bonferroni (drift when
 * any p-value is below {@code p_val / n_features}) or the false discovery rate by
 * Benjamini–Hochberg (drift when some sorted p-value {@code p_(i) < i·p_val/n}). p-values follow
 * scipy's {@code ks_2samp(method='asymp')}: the Kolmogorov distribution with
 * {@code n = round(n₁·n₂/(n₁ + n₂))} evaluated at the statistic (computed as 1 − CDF, so p-values below
 * about 1e-14 are not resolved; the decisions never need them); where that exact method gets
 * expensive (n &gt; 200 or ⌈n·d⌉ &gt; 50) the limiting distribution with Stephens' correction is used
 * instead (relative error of order 1e-3 where p matters).
 * Default {@code p_val} 0.05.
 */
public final class KsDriftTest implements DriftTest {

    /** The multiple-testing correction. */
    public enum Correction {
        /** Bonferroni: threshold p_val / n_features. */
        BONFERRONI,
        /** Benjamini–Hochberg false discovery rate. */
        FDR
    }

    private final double pVal;
    private final Correction correction;

    private KsDriftTest(double pVal, Correction correction) {
        if (!(pVal > 0 && pVal < 1)) {
            throw new IllegalArgumentException("pVal must be in (0, 1), got " + pVal);
        }
        this.pVal = pVal;
        this.correction = correction;
    }

    /**
     * Returns the test with alibi-detect's defaults: p_val 0.05, Bonferroni.
     *
     * @return the test
     */
    public static KsDriftTest ks() {
        return new KsDriftTest(0.05, Correction.BONFERRONI);
    }

    /**
     * Returns the test with the Benjamini–Hochberg correction.
     *
     * @return the test
     */
    public KsDriftTest fdr() {
        return new KsDriftTest(pVal, Correction.FDR);
    }

    /**
     * Returns the test with the Bonferroni correction.
     *
     * @return the test
     */
    public KsDriftTest bonferroni() {
        return new KsDriftTest(pVal, Correction.BONFERRONI);
    }

    /**
     * Returns the test at another significance level.
     *
     * @param level p_val, in (0, 1)
     * @return the test
     */
    public KsDriftTest pVal(double level) {
        return new KsDriftTest(level, correction);
    }

    @Override
    public String name() {
        return "ks(p_val=" + pVal + ", " + correction.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    @Override
    public DriftResult test(Dataset reference, Dataset current, long seed) {
        return test(reference, current);
    }

    /**
     * Tests every feature of two samples with the same features.
     *
     * @param reference the reference sample
     * @param current the current sample
     * @return the result
     */
    public DriftResult test(Dataset reference, Dataset current) {
        if (reference.featureCount() != current.featureCount()) {
            throw new InvalidDataException("reference '" + reference.name() + "' has " + reference.featureCount()
                    + " features but current '" + current.name() + "' has " + current.featureCount());
        }
        int d = reference.featureCount();
        double[][] ref = columns(reference);
        double[][] cur = columns(current);
        // features are independent: test them on all cores (the result does not depend on the order)
        List<FeatureTest> features = java.util.stream.IntStream.range(0, d).parallel().mapToObj(j -> {
            double statistic = statistic(ref[j], cur[j]);
            return new FeatureTest(j, statistic, pValue(statistic, ref[j].length, cur[j].length));
        }).toList();
        double[] p = features.stream().mapToDouble(FeatureTest::pValue).toArray();
        double threshold;
        boolean drift;
        if (correction == Correction.BONFERRONI) {
            threshold = pVal / d;
            drift = Arrays.stream(p).min().orElse(1) < threshold;
        } else {
            double[] sorted = p.clone();
            Arrays.sort(sorted);
            threshold = 0;
            for (int i = 0; i < d; i++) {
                double line = (i + 1) * pVal / d;
                if (sorted[i] < line) {
                    threshold = Math.max(threshold, line);
                }
            }
            drift = threshold > 0;
            if (!drift) {
                threshold = pVal / d;
            }
        }
        double maxStatistic = features.stream().mapToDouble(FeatureTest::statistic).max().orElse(0);
        return new DriftResult(name(), maxStatistic, Arrays.stream(p).min().orElse(1), threshold, drift, features);
    }

    /** The largest absolute difference between the two empirical CDFs. */
    static double statistic(double[] a, double[] b) {
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < x.length && j < y.length) {
            double v = Math.min(x[i], y[j]);
            while (i < x.length && x[i] <= v) {
                i++;
            }
            while (j < y.length && y[j] <= v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
        }
        return d;
    }

    /** scipy's asymptotic two-sided p-value: the Kolmogorov distribution at n = round(n₁n₂/(n₁+n₂)). */
    static double pValue(double statistic, int n1, int n2) {
        int n = (int) Math.round((double) n1 * n2 / (n1 + n2));
        if (statistic >= 1) {
            return 0;
        }
        if (statistic <= 0) {
            return 1;
        }
        n = Math.max(1, n);
        if (n <= 200 && Math.ceil(n * statistic) <= 50) {
            return Math.max(0, Math.min(1, 1 - new KolmogorovSmirnovDistribution(n).cdf(statistic)));
        }
        // the exact method raises a (2·⌈n·d⌉ − 1)-square matrix to the n-th power: past ⌈n·d⌉ = 50 use the
        // limiting Kolmogorov distribution with Stephens' small-sample correction (error ~1e-3 of p)
        double t = statistic * (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n));
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            double term = 2 * Math.pow(-1, k - 1) * Math.exp(-2.0 * k * k * t * t);
            sum += term;
            if (Math.abs(term) < 1e-16) {
                break;
            }
        }
        return Math.max(0, Math.min(1, sum));
    }

    private static double[][] columns(Dataset data) {
        double[][] columns = new double[data.featureCount()][data.size()];
        for (int i = 0; i < data.size(); i++) {
            float[] row = data.features(i);
            for (int j = 0; j < row.length; j++) {
                columns[j][i] = row[j];
            }
        }
        return columns;
    }
}

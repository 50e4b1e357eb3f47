package dev.gauntlet.shift;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.shift.internal.KolmogorovSmirnov;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Per-feature two-sample Kolmogorov–Smirnov drift test, as alibi-detect's {@code KSDrift}: a
 * two-sided KS test on every feature, then a multiple-testing correction — Bonferroni (drift when
 * any p-value is below {@code p_val / n_features}) or the false discovery rate by
 * Benjamini–Hochberg (drift when some sorted p-value {@code p_(i) < i·p_val/n}). Default
 * {@code p_val} 0.05.
 *
 * <p>p-values equal scipy 1.10's {@code ks_2samp} for the chosen method (to 1e-6 absolute, checked
 * against scipy by {@code KsParityTests} and {@code src/test/python/parity/ks_parity.py}):
 * <ul>
 * <li>{@link #asymp()}, the default because alibi-detect's {@code KSDrift} calls
 * {@code ks_2samp(..., mode='asymp')}: the one-sample Kolmogorov distribution
 * {@code kstwo.sf(d, n)} at {@code n = np.round(n₁n₂/(n₁ + n₂))}, rounding halves to even as numpy
 * does (two samples of 89 give n = 44), computed as scipy does (Simard and L'Ecuyer 2011) so small
 * p-values keep their relative accuracy.</li>
 * <li>{@link #exact()}: the exact two-sample distribution (Hodges 1958; Viehmann 2021), falling back
 * to asymp, as scipy does with a warning, where lcm(n₁, n₂) exceeds 2³¹ − 1 or the computation
 * fails; each {@link FeatureTest#method()} says which ran.</li>
 * <li>{@link #auto()}: scipy's default rule, exact when both samples have at most 10,000 rows.</li>
 * </ul>
 * The statistic is reported as scipy reports it: for the exact method rounded to a multiple of
 * {@code 1/lcm(n₁, n₂)}. With one row per sample asymp's n rounds to 0 and the p-value is NaN, as in scipy.
 */
public final class KsDrift implements DriftDetector {

    /** The multiple-testing correction. */
    public enum Correction {
        /** Bonferroni: threshold p_val / n_features. */
        BONFERRONI,
        /** Benjamini–Hochberg false discovery rate. */
        FDR
    }

    /** How p-values are computed: scipy's {@code ks_2samp(method=...)}. */
    public enum Method {
        /** The limiting one-sample distribution at the effective size n₁n₂/(n₁ + n₂). */
        ASYMP,
        /** The exact two-sample distribution, asymp where it cannot be computed. */
        EXACT,
        /** Exact when both samples have at most 10,000 rows, else asymp. */
        AUTO
    }

    private final double pVal;
    private final Correction correction;
    private final Method method;

    private KsDrift(double pVal, Correction correction, Method method) {
        if (!(pVal > 0 && pVal < 1)) {
            throw new IllegalArgumentException("pVal must be in (0, 1), got " + pVal);
        }
        this.pVal = pVal;
        this.correction = correction;
        this.method = method;
    }

    /**
     * Returns the test with alibi-detect's defaults: p_val 0.05, Bonferroni, asymptotic p-values.
     *
     * @return the test
     */
    public static KsDrift ks() {
        return new KsDrift(0.05, Correction.BONFERRONI, Method.ASYMP);
    }

    /**
     * Returns the test with scipy's {@code method='asymp'} p-values (the default, as alibi-detect).
     *
     * @return the test
     */
    public KsDrift asymp() {
        return new KsDrift(pVal, correction, Method.ASYMP);
    }

    /**
     * Returns the test with scipy's {@code method='exact'} p-values: exact for any sample sizes
     * whose lcm fits in 2³¹ − 1 (time grows with n₁·n₂·statistic), asymp otherwise.
     *
     * @return the test
     */
    public KsDrift exact() {
        return new KsDrift(pVal, correction, Method.EXACT);
    }

    /**
     * Returns the test with scipy's default {@code method='auto'}: exact when both samples have at
     * most 10,000 rows, asymp otherwise.
     *
     * @return the test
     */
    public KsDrift auto() {
        return new KsDrift(pVal, correction, Method.AUTO);
    }

    /**
     * Returns how the p-values are computed.
     *
     * @return the method
     */
    public Method method() {
        return method;
    }

    /**
     * Returns the test with the Benjamini–Hochberg correction.
     *
     * @return the test
     */
    public KsDrift fdr() {
        return new KsDrift(pVal, Correction.FDR, method);
    }

    /**
     * Returns the test with the Bonferroni correction.
     *
     * @return the test
     */
    public KsDrift bonferroni() {
        return new KsDrift(pVal, Correction.BONFERRONI, method);
    }

    /**
     * Returns the test at another significance level.
     *
     * @param level p_val, in (0, 1)
     * @return the test
     */
    public KsDrift pVal(double level) {
        return new KsDrift(level, correction, method);
    }

    @Override
    public String name() {
        return "ks(p_val=" + pVal + ", " + correction.name().toLowerCase(Locale.ROOT) + ", "
                + method.name().toLowerCase(Locale.ROOT) + ")";
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
        Boolean exact = switch (method) {
            case ASYMP -> Boolean.FALSE;
            case EXACT -> Boolean.TRUE;
            case AUTO -> null;
        };
        List<FeatureTest> features = IntStream.range(0, d).parallel().mapToObj(j -> {
            KolmogorovSmirnov.TwoSample ks = KolmogorovSmirnov.twoSample(ref[j], cur[j], exact);
            return new FeatureTest(j, ks.statistic(), ks.pValue(), ks.exact() ? "exact" : "asymp");
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
        return new DriftResult(ranName(features), maxStatistic, Arrays.stream(p).min().orElse(1), threshold, drift,
                features);
    }

    /** name(), plus the method that ran where auto chose or exact fell back: "ks(..., auto: exact)". */
    private String ranName(List<FeatureTest> features) {
        TreeSet<String> ran = new TreeSet<>();
        features.forEach(f -> ran.add(f.method()));
        String configured = method.name().toLowerCase(Locale.ROOT);
        if (ran.isEmpty() || ran.equals(Set.of(configured))) {
            return name();
        }
        return name().substring(0, name().length() - 1) + ": " + String.join(" and ", ran) + ")";
    }

    /** The largest absolute difference between the two empirical CDFs. */
    static double statistic(double[] a, double[] b) {
        return KolmogorovSmirnov.statistic(a, b);
    }

    /** scipy's asymptotic two-sided p-value: {@code kstwo.sf(d, np.round(n₁n₂/(n₁+n₂)))}. */
    static double pValue(double statistic, int n1, int n2) {
        return KolmogorovSmirnov.twoSampleAsympSf(statistic, n1, n2);
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

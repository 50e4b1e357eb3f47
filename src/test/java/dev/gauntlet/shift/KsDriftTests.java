package dev.gauntlet.shift;

import static dev.gauntlet.shift.GaussianSamples.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.gauntlet.data.Dataset;

import org.junit.jupiter.api.Test;


class KsDriftTests {

    /** Expected values from scipy 1.10.1: scipy.stats.ks_2samp(a, b, method='asymp') on the same float32 data. */
    @Test
    void statistic_and_p_value_match_scipy() {
        double[] a = new double[50];
        double[] b = new double[40];
        for (int i = 0; i < 50; i++) {
            a[i] = (float) (Math.sin(i * 1.3) + 0.01 * i);
        }
        for (int j = 0; j < 40; j++) {
            b[j] = (float) (Math.cos(j * 0.7) * 1.1 + 0.3);
        }
        double statistic = KsDrift.statistic(a, b);
        assertThat(statistic).isCloseTo(0.21, within(1e-9));
        assertThat(KsDrift.pValue(statistic, 50, 40)).isCloseTo(0.24922595693090832, within(1e-6));

        double[] c = new double[500];
        double[] d = new double[300];
        for (int i = 0; i < 500; i++) {
            c[i] = (float) (0.02 * i);
        }
        for (int j = 0; j < 300; j++) {
            d[j] = (float) (0.02 * j + 0.5);
        }
        double shifted = KsDrift.statistic(c, d);
        assertThat(shifted).isCloseTo(0.35, within(1e-9));
        // small p-values come from the sf directly (2 x the one-sided tail), not 1 - cdf: relative accuracy holds
        assertThat(KsDrift.pValue(shifted, 500, 300)).isCloseTo(4.30687356281636e-21, withinPercentage(1e-4));
    }

    /**
     * 89 vs 89 rows give n1*n2/(n1+n2) = 44.5, which numpy rounds to 44 (half to even) where rounding
     * half up gave 45 and a p-value 0.0099 off. Expected values from scipy 1.10.1 ks_2samp on the same float32 data.
     */
    @Test
    void effective_size_rounds_half_to_even_like_numpy_and_each_method_matches_scipy() {
        float[][] rows = new float[89][1];
        float[][] other = new float[89][1];
        for (int i = 0; i < 89; i++) {
            rows[i][0] = (float) (Math.sin(i * 1.3) + 0.01 * i);
            other[i][0] = (float) (Math.cos(i * 0.7) * 1.1 + 0.3);
        }
        Dataset a = Dataset.builder().setFeatures(rows).setLabels(new int[89]).setNumClasses(2).build();
        Dataset b = Dataset.builder().setFeatures(other).setLabels(new int[89]).setNumClasses(2).build();

        FeatureTest asymp = KsDrift.ks().test(a, b).features().get(0);
        assertThat(asymp.statistic()).isEqualTo(14.0 / 89);
        assertThat(asymp.pValue()).isCloseTo(0.20358617949524427, within(1e-12));
        assertThat(asymp.pValue()).isNotCloseTo(0.19372676765041597, within(1e-3)); // n = 45: the old rounding
        assertThat(asymp.method()).isEqualTo("asymp");

        DriftResult exact = KsDrift.ks().exact().test(a, b);
        assertThat(exact.features().get(0).pValue()).isCloseTo(0.22157082996584854, within(1e-12));
        assertThat(exact.features().get(0).method()).isEqualTo("exact");
        assertThat(exact.test()).isEqualTo("ks(p_val=0.05, bonferroni, exact)");

        DriftResult auto = KsDrift.ks().fdr().auto().test(a, b);
        assertThat(auto.features().get(0).pValue()).isEqualTo(exact.features().get(0).pValue());
        assertThat(auto.test()).isEqualTo("ks(p_val=0.05, fdr, auto: exact)");
    }

    @Test
    void name_says_the_method_and_asymp_stays_the_default() {
        assertThat(KsDrift.ks().name()).isEqualTo("ks(p_val=0.05, bonferroni, asymp)");
        assertThat(KsDrift.ks().method()).isEqualTo(KsDrift.Method.ASYMP);
        assertThat(KsDrift.ks().exact().fdr().pVal(0.01).name()).isEqualTo("ks(p_val=0.01, fdr, exact)");
        assertThat(KsDrift.ks().auto().bonferroni().name()).isEqualTo("ks(p_val=0.05, bonferroni, auto)");
        assertThat(KsDrift.ks().exact().asymp().method()).isEqualTo(KsDrift.Method.ASYMP);
        // results of tests without a choice of method keep an empty one
        assertThat(new FeatureTest(0, 0.1, 0.5).method()).isEmpty();
    }

    /** As scipy: auto is asymp above 10,000 rows; exact falls back to asymp where lcm(n1, n2) exceeds 2^31 - 1. */
    @Test
    void auto_and_exact_fall_back_to_asymp_like_scipy() {
        Dataset small = gaussian(60, 1, 0, 5);
        DriftResult auto = KsDrift.ks().auto().test(gaussian(10_001, 1, 0, 6), small);
        assertThat(auto.features().get(0).method()).isEqualTo("asymp");
        assertThat(auto.test()).isEqualTo("ks(p_val=0.05, bonferroni, auto: asymp)");

        Dataset a = gaussian(50_000, 1, 0, 7);
        Dataset b = gaussian(49_999, 1, 0.02, 8); // coprime sizes: lcm 2.5e9
        DriftResult exact = KsDrift.ks().exact().test(a, b);
        FeatureTest feature = exact.features().get(0);
        assertThat(feature.method()).isEqualTo("asymp");
        assertThat(exact.test()).isEqualTo("ks(p_val=0.05, bonferroni, exact: asymp)");
        assertThat(feature.pValue()).isEqualTo(KsDrift.ks().test(a, b).features().get(0).pValue());
    }

    @Test
    void identical_samples_do_not_drift_and_a_one_sigma_shift_does() {
        Dataset reference = gaussian(500, 3, 0, 1);
        DriftResult same = KsDrift.ks().test(reference, reference);
        assertThat(same.drift()).isFalse();
        assertThat(same.statistic()).isZero();
        DriftResult shifted = KsDrift.ks().test(reference, gaussian(500, 3, 1.0, 2));
        assertThat(shifted.drift()).isTrue();
        assertThat(shifted.driftedFeatures()).containsExactly(0, 1, 2);
        assertThat(shifted.threshold()).isEqualTo(0.05 / 3);
    }

    @Test
    void fdr_follows_benjamini_hochberg() {
        // feature 0 shifted strongly, feature 1 mildly, features 2-3 not at all
        Dataset reference = gaussian(400, 4, 0, 3);
        Dataset current = shiftColumns(gaussian(400, 4, 0, 4), new double[] {1.0, 0.25, 0, 0});
        DriftResult fdr = KsDrift.ks().fdr().test(reference, current);
        double[] p = fdr.features().stream().mapToDouble(FeatureTest::pValue).toArray();
        // by hand: sort the p-values; the largest i with p_(i) < i * 0.05 / 4 sets the threshold
        double[] sorted = p.clone();
        java.util.Arrays.sort(sorted);
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            if (sorted[i] < (i + 1) * 0.05 / 4) {
                expected = (i + 1) * 0.05 / 4;
            }
        }
        assertThat(fdr.threshold()).isEqualTo(expected);
        assertThat(fdr.drift()).isTrue();
        assertThat(fdr.driftedFeatures()).contains(0).doesNotContain(2, 3);
    }

    private static Dataset shiftColumns(Dataset data, double[] shifts) {
        float[][] rows = new float[data.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = data.features(i);
            for (int j = 0; j < shifts.length; j++) {
                rows[i][j] += (float) shifts[j];
            }
        }
        return Dataset.builder().setFeatures(rows).setLabels(data.labels()).setNumClasses(2).build();
    }
}

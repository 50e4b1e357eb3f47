package dev.gauntlet.shift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gauntlet.data.Dataset;

import org.junit.jupiter.api.Test;

import java.util.Random;

class KsDriftTestTests {

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
        double statistic = KsDriftTest.statistic(a, b);
        assertThat(statistic).isCloseTo(0.21, within(1e-9));
        assertThat(KsDriftTest.pValue(statistic, 50, 40)).isCloseTo(0.24922595693090832, within(1e-6));

        double[] c = new double[500];
        double[] d = new double[300];
        for (int i = 0; i < 500; i++) {
            c[i] = (float) (0.02 * i);
        }
        for (int j = 0; j < 300; j++) {
            d[j] = (float) (0.02 * j + 0.5);
        }
        double shifted = KsDriftTest.statistic(c, d);
        assertThat(shifted).isCloseTo(0.35, within(1e-9));
        assertThat(KsDriftTest.pValue(shifted, 500, 300)).isCloseTo(4.30687356281636e-21, within(1e-6));
    }

    @Test
    void identical_samples_do_not_drift_and_a_one_sigma_shift_does() {
        Dataset reference = gaussian(500, 3, 0, 1);
        DriftResult same = KsDriftTest.ks().test(reference, reference);
        assertThat(same.drift()).isFalse();
        assertThat(same.statistic()).isZero();
        DriftResult shifted = KsDriftTest.ks().test(reference, gaussian(500, 3, 1.0, 2));
        assertThat(shifted.drift()).isTrue();
        assertThat(shifted.driftedFeatures()).containsExactly(0, 1, 2);
        assertThat(shifted.threshold()).isEqualTo(0.05 / 3);
    }

    @Test
    void fdr_follows_benjamini_hochberg() {
        // feature 0 shifted strongly, feature 1 mildly, features 2-3 not at all
        Dataset reference = gaussian(400, 4, 0, 3);
        Dataset current = shiftColumns(gaussian(400, 4, 0, 4), new double[] {1.0, 0.25, 0, 0});
        DriftResult fdr = KsDriftTest.ks().fdr().test(reference, current);
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

    private static Dataset gaussian(int n, int features, double shift, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][features];
        for (float[] row : rows) {
            for (int j = 0; j < features; j++) {
                row[j] = (float) (random.nextGaussian() + shift);
            }
        }
        return Dataset.builder().setFeatures(rows).setLabels(new int[n]).setNumClasses(2).build();
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

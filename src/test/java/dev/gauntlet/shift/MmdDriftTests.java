package dev.gauntlet.shift;

import static dev.gauntlet.shift.GaussianSamples.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.Permutations;

import org.junit.jupiter.api.Test;

import java.util.Random;

class MmdDriftTests {

    @Test
    void the_statistic_and_every_permutations_equal_a_direct_computation_with_the_same_seed() {
        Dataset x = gaussian(12, 3, 0, 1);
        Dataset y = gaussian(9, 3, 0.5, 2);
        float[][] pooled = new float[21][];
        for (int i = 0; i < 12; i++) {
            pooled[i] = x.features(i);
        }
        for (int i = 0; i < 9; i++) {
            pooled[12 + i] = y.features(i);
        }
        // alibi-detect's sigma_median on the reference: the sorted 12 x 12 matrix (12 zeros, then each of the 66
        // pairs twice) at index 12 + (144 - 12) / 2 - 1 = 77, i.e. the 33rd smallest pair (0-based 32)
        double[] full = new double[144];
        for (int i = 0, c = 0; i < 12; i++) {
            for (int j = 0; j < 12; j++) {
                full[c++] = squaredDistance(pooled[i], pooled[j]);
            }
        }
        java.util.Arrays.sort(full);
        double sigma2 = 0.5 * full[77];
        double[][] kernel = new double[21][21];
        for (int i = 0; i < 21; i++) {
            for (int j = 0; j < 21; j++) {
                kernel[i][j] = Math.exp(-squaredDistance(pooled[i], pooled[j]) / (2 * sigma2));
            }
        }
        int[] identity = new int[21];
        for (int i = 0; i < 21; i++) {
            identity[i] = i;
        }
        double expected = directMmd2(kernel, identity, 12);
        // the test's permutations: drawn in sequence from the seed, the first 12 of each as the reference
        Random random = new Random(7);
        double[] nulls = new double[100];
        int atLeast = 0;
        for (int p = 0; p < 100; p++) {
            nulls[p] = directMmd2(kernel, Permutations.of(21, random), 12);
            atLeast += expected <= nulls[p] ? 1 : 0;
        }
        DriftResult result = MmdDrift.mmd().test(x, y, 7);
        assertThat(result.statistic()).isCloseTo(expected, within(1e-12));
        assertThat(result.nullStatistics()).containsExactly(nulls, within(1e-12));
        assertThat(result.pValue()).isEqualTo(atLeast / 100.0);
    }

    /** Unbiased MMD² of the first n indices of {@code order} against the rest, summed pair by pair. */
    private static double directMmd2(double[][] kernel, int[] order, int n) {
        int m = order.length - n;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int a = 0; a < order.length; a++) {
            for (int b = 0; b < order.length; b++) {
                double k = kernel[order[a]][order[b]];
                if (a == b) {
                    continue;
                } else if (a < n && b < n) {
                    xx += k;
                } else if (a >= n && b >= n) {
                    yy += k;
                } else if (a < n) {
                    xy += k;
                }
            }
        }
        return xx / (n * (n - 1.0)) + yy / (m * (m - 1.0)) - 2 * xy / ((double) n * m);
    }

    @Test
    void pooled_samples_above_the_limit_are_refused_before_the_kernel_is_built() {
        Dataset x = gaussian(30, 2, 0, 1);
        Dataset y = gaussian(20, 2, 0, 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MmdDrift.mmd().maxSamples(40).test(x, y, 0))
                .isInstanceOf(dev.gauntlet.data.InvalidDataException.class)
                .hasMessageContaining("pools 50 samples, above the limit of 40").hasMessageContaining("maxSamples");
        assertThat(MmdDrift.mmd().maxSamples(50).test(x, y, 0).pValue()).isBetween(0.0, 1.0);
        assertThat(MmdDrift.mmd().maxSamples()).isEqualTo(MmdDrift.DEFAULT_MAX_SAMPLES);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MmdDrift.mmd().maxSamples(100_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16383");
    }

    @Test
    void under_no_drift_the_false_positive_rate_stays_near_the_level() {
        int positives = 0;
        for (int rep = 0; rep < 50; rep++) {
            positives += MmdDrift.mmd().test(gaussian(40, 2, 0, 100 + rep), gaussian(40, 2, 0, 200 + rep), rep)
                    .drift() ? 1 : 0;
        }
        assertThat(positives / 50.0).isLessThanOrEqualTo(0.12);
    }

    @Test
    void a_mean_shift_is_detected_and_the_same_seed_gives_the_same_p_value() {
        Dataset reference = gaussian(100, 5, 0, 1);
        Dataset shifted = gaussian(100, 5, 0.7, 2);
        DriftResult result = MmdDrift.mmd().test(reference, shifted, 3);
        assertThat(result.drift()).isTrue();
        assertThat(MmdDrift.mmd().test(reference, shifted, 3).pValue()).isEqualTo(result.pValue());
    }

    private static double squaredDistance(float[] a, float[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            double difference = (double) a[k] - b[k];
            sum += difference * difference;
        }
        return sum;
    }
}

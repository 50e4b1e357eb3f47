package dev.gauntlet.shift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gauntlet.data.Dataset;

import org.junit.jupiter.api.Test;

import java.util.Random;

class ClassifierDriftTests {

    private static Dataset gaussian(int n, double shift, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][4];
        for (float[] row : rows) {
            for (int j = 0; j < 4; j++) {
                row[j] = (float) (random.nextGaussian() + (j == 0 ? shift : 0));
            }
        }
        return Dataset.builder().setFeatures(rows).setLabels(new int[n]).setNumClasses(2).build();
    }

    /**
     * A mean shift δ along one axis of unit Gaussians is best separated by that axis, with AUC
     * Φ(δ/√2) (the probability that a shifted draw exceeds an unshifted one): 0.760 for δ = 1.
     */
    @Test
    void a_mean_shift_gives_the_closed_form_auc_and_is_detected() {
        DriftResult shifted = ClassifierDrift.classifierTwoSample().test(gaussian(2000, 0, 1), gaussian(2000, 1, 2), 3);
        assertThat(shifted.statistic()).isCloseTo(0.760, within(0.03));
        assertThat(shifted.drift()).isTrue();
    }

    @Test
    void under_no_drift_the_false_positive_rate_stays_near_the_level() {
        int positives = 0;
        for (int rep = 0; rep < 40; rep++) {
            positives += ClassifierDrift.classifierTwoSample()
                    .test(gaussian(200, 0, 10 + rep), gaussian(200, 0, 100 + rep), rep).drift() ? 1 : 0;
        }
        assertThat(positives / 40.0).isLessThanOrEqualTo(0.125);
    }
}

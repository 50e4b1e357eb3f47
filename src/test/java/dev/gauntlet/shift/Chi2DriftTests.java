package dev.gauntlet.shift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gauntlet.data.Dataset;

import org.junit.jupiter.api.Test;

class Chi2DriftTests {

    /** Expected values from scipy 1.10.1's chi2_contingency on the same tables. */
    @Test
    void statistic_and_p_value_match_scipy_including_yates_correction() {
        double[] threeCategories = Chi2Drift.contingency(new long[][] {{30, 20}, {50, 50}, {20, 30}});
        assertThat(threeCategories[0]).isCloseTo(4.0, within(1e-9));
        assertThat(threeCategories[1]).isCloseTo(0.1353352832366127, within(1e-9));
        double[] twoCategories = Chi2Drift.contingency(new long[][] {{40, 55}, {60, 45}});
        assertThat(twoCategories[0]).isCloseTo(3.9298245614035094, within(1e-9));
        assertThat(twoCategories[1]).isCloseTo(0.04743689282486553, within(1e-9));
    }

    @Test
    void categorical_drift_is_detected_on_the_changed_feature() {
        float[][] reference = new float[300][];
        float[][] current = new float[300][];
        for (int i = 0; i < 300; i++) {
            reference[i] = new float[] {i % 3, i % 2};
            current[i] = new float[] {i % 5 == 0 ? 2 : i % 3, i % 2}; // feature 0 shifts towards category 2
        }
        DriftResult result = Chi2Drift.chi2().test(dataset(reference), dataset(current), 0);
        assertThat(result.drift()).isTrue();
        assertThat(result.driftedFeatures()).containsExactly(0);
        assertThat(Chi2Drift.chi2().test(dataset(reference), dataset(reference), 0).drift()).isFalse();
    }

    private static Dataset dataset(float[][] rows) {
        return Dataset.builder().setFeatures(rows).setLabels(new int[rows.length]).setNumClasses(2).build();
    }
}

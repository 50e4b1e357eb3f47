package dev.gauntlet.shift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;

import org.junit.jupiter.api.Test;

class GaussianNoiseTests {

    private static Dataset constant(float value, ValueBounds bounds) {
        float[] features = new float[20_000];
        java.util.Arrays.fill(features, value);
        return Dataset.builder().setFeatures(features, 2).setLabels(new int[10_000]).setNumClasses(2)
                .optBounds(bounds).build();
    }

    @Test
    void noise_has_mean_zero_and_the_requested_standard_deviation() {
        Dataset clean = constant(0, ValueBounds.unbounded());
        Dataset noisy = new GaussianNoise(0.3).apply(clean, 5);
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < noisy.size(); i++) {
            for (float v : noisy.features(i)) {
                sum += v;
                sumSq += v * v;
            }
        }
        int n = 2 * noisy.size();
        // standard errors: 0.3 / sqrt(20000) = 0.002 for the mean, about 0.0015 for the std
        assertThat(sum / n).isCloseTo(0, within(0.01));
        assertThat(Math.sqrt(sumSq / n)).isCloseTo(0.3, within(0.01));
        assertThat(clean.features(0)).as("input unchanged").containsExactly(0, 0);
        assertThat(noisy.labels()).containsExactly(clean.labels());
    }

    @Test
    void same_seed_same_noise_and_values_stay_within_bounds() {
        Dataset clean = constant(0.95f, ValueBounds.unit());
        Dataset a = new GaussianNoise(0.5).apply(clean, 1);
        assertThat(a.features(7)).containsExactly(new GaussianNoise(0.5).apply(clean, 1).features(7));
        assertThat(a.features(7)).isNotEqualTo(new GaussianNoise(0.5).apply(clean, 2).features(7));
        for (int i = 0; i < a.size(); i++) {
            for (float v : a.features(i)) {
                assertThat(v).isBetween(0f, 1f);
            }
        }
        assertThat(new GaussianNoise(0.15000000000000002).name()).isEqualTo("gaussian-noise(sigma=0.15)");
        assertThatThrownBy(() -> new GaussianNoise(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sigma");
    }
}

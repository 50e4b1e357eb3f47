package dev.gauntlet.shift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.Standardizer;

import org.junit.jupiter.api.Test;

import java.util.Random;

class TabularCorruptionTests {

    /** Feature 0 ~ N(10, 2²), feature 1 ~ N(-5, 0.5²). */
    private static Dataset table() {
        Random random = new Random(1);
        float[][] rows = new float[20_000][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[] {(float) (10 + 2 * random.nextGaussian()), (float) (-5 + 0.5 * random.nextGaussian())};
        }
        return Dataset.builder().setFeatures(rows).setLabels(new int[rows.length]).setNumClasses(2).build();
    }

    @Test
    void noise_scaling_and_missing_values_have_their_stated_effect() {
        Dataset data = table();
        Standardizer before = Standardizer.fit(data);
        // noise of 0.5 sigma: variance grows by a factor 1 + 0.25
        Standardizer noisy = Standardizer.fit(new TabularCorruption(TabularCorruption.Kind.GAUSSIAN_NOISE, 4).apply(data, 2));
        assertThat(noisy.stds()[0] / before.stds()[0]).isCloseTo(Math.sqrt(1.25), within(0.02));
        assertThat(noisy.stds()[1] / before.stds()[1]).isCloseTo(Math.sqrt(1.25), within(0.02));
        // scaling by 1 +- 0.3 keeps the mean and scales the standard deviation
        Standardizer scaled = Standardizer.fit(new TabularCorruption(TabularCorruption.Kind.SCALING, 4).apply(data, 2));
        assertThat(scaled.means()[0]).isCloseTo(before.means()[0], within(1e-3));
        double ratio = scaled.stds()[0] / before.stds()[0];
        assertThat(Math.abs(ratio - 1)).isCloseTo(0.3, within(1e-4));
        // 30% of cells set to the mean: variance shrinks by 0.7
        Standardizer imputed = Standardizer.fit(new TabularCorruption(TabularCorruption.Kind.MISSING_VALUES, 4).apply(data, 2));
        assertThat(imputed.stds()[1] / before.stds()[1]).isCloseTo(Math.sqrt(0.7), within(0.02));
        assertThat(data.features(0)).containsExactly(table().features(0)); // input unchanged
    }
}

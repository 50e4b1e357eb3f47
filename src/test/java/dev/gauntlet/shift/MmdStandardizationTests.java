package dev.gauntlet.shift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;

import org.junit.jupiter.api.Test;

import java.util.Random;

/**
 * {@link MmdDrift#standardized()}: a clear shift in a small-scale feature (age, sd 10) next to
 * a large-scale one (income, sd 15,000) is missed on raw features and found once both are scaled
 * by the reference statistics.
 */
class MmdStandardizationTests {

    /** {@code n} rows of (age, income[, constant]): age ~ N(40 + ageShift, 10), income ~ N(50,000, 15,000). */
    private static Dataset people(int n, double ageShift, boolean constant, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][constant ? 3 : 2];
        for (float[] row : rows) {
            row[0] = (float) (40 + ageShift + 10 * random.nextGaussian());
            row[1] = (float) (50_000 + 15_000 * random.nextGaussian());
            if (constant) {
                row[2] = 7;
            }
        }
        return Dataset.builder().setFeatures(rows).setLabels(new int[n]).setNumClasses(2)
                .optBounds(ValueBounds.unbounded()).optName("people").build();
    }

    @Test
    void a_shift_in_age_next_to_income_is_found_only_with_standardisation() {
        Dataset reference = people(200, 0, false, 1);
        Dataset older = people(200, 8, false, 2);
        DriftResult raw = MmdDrift.mmd().test(reference, older, 0);
        DriftResult standardized = MmdDrift.mmd().standardized().test(reference, older, 0);
        assertThat(raw.drift()).as("raw: income's scale swamps age (p = %s)", raw.pValue()).isFalse();
        assertThat(standardized.drift()).as("standardized (p = %s)", standardized.pValue()).isTrue();
        assertThat(standardized.test()).contains("standardized by reference mean and sd");
        assertThat(raw.test()).doesNotContain("standardized");
    }

    @Test
    void standardisation_keeps_the_null_and_centres_a_constant_column_without_dividing_by_zero() {
        DriftResult same = MmdDrift.mmd().standardized().test(people(200, 0, true, 3), people(200, 0, true, 4), 0);
        assertThat(same.drift()).isFalse();
        assertThat(same.statistic()).isFinite();
        assertThat(same.pValue()).isGreaterThan(0.05);
    }

    @Test
    void standardisation_survives_the_other_options() {
        MmdDrift test = MmdDrift.mmd().standardized().permutations(50).pVal(0.01).maxSamples(1000);
        assertThat(test.isStandardized()).isTrue();
        assertThat(test.name()).contains("permutations=50", "p_val=0.01", "standardized");
        assertThat(MmdDrift.mmd().isStandardized()).isFalse();
    }
}

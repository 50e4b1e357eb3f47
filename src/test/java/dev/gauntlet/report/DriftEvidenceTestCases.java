package dev.gauntlet.report;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatData;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.shift.KsDrift;
import dev.gauntlet.shift.MixedDrift;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

/** Fixture: drift assertions on named columns (age, smoker), one that passes and one that fails. */
public class DriftEvidenceTestCases {

    /** 300 rows of age ~ N(40, 10) and smoker (1 in {@code every} rows). */
    static Dataset people(int every, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[300][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[] {(float) (40 + 10 * random.nextGaussian()), i % every == 0 ? 1 : 0};
        }
        return Dataset.builder().setFeatures(rows).setLabels(new int[rows.length]).setNumClasses(2)
                .optBounds(ValueBounds.unbounded()).optName("people").build();
    }

    @Test
    void ks_passes() {
        assertThatData(people(4, 1)).comparedTo(people(4, 2)).withFeatureNames(List.of("age", "smoker"))
                .showsNoDrift(KsDrift.ks());
    }

    @Test
    void mixed_fails() {
        assertThatData(people(4, 1)).comparedTo(people(2, 2))
                .showsNoDrift(MixedDrift.mixed().featureNames(List.of("age", "smoker")));
    }
}

package dev.gauntlet.assertj;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatData;
import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.shift.GaussianNoise;
import dev.gauntlet.shift.KsDrift;
import dev.gauntlet.shift.MmdDrift;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.LinearModels;

import org.junit.jupiter.api.Test;

import java.util.Random;

class DriftAssertTests {

    private static Dataset gaussian(int n, double[] shifts, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][shifts.length];
        for (float[] row : rows) {
            for (int j = 0; j < shifts.length; j++) {
                row[j] = (float) (random.nextGaussian() + shifts[j]);
            }
        }
        return Dataset.builder().setFeatures(rows).setLabels(new int[n]).setNumClasses(4).optName("gaussian").build();
    }

    @Test
    void no_drift_passes_and_a_shift_fails_naming_the_drifted_features() {
        Dataset reference = gaussian(300, new double[] {0, 0, 0}, 1);
        assertThatData(reference).comparedTo(gaussian(300, new double[] {0, 0, 0}, 2))
                .showsNoDrift(KsDrift.ks()).showsNoDrift(KsDrift.ks().fdr());
        Dataset shifted = gaussian(300, new double[] {0, 1, 0}, 3);
        assertThatData(reference).comparedTo(shifted).showsDrift(MmdDrift.mmd()).driftsOnFeatures(KsDrift.ks(), 1);
        assertThatThrownBy(() -> assertThatData(reference).comparedTo(shifted).showsNoDrift(KsDrift.ks().fdr()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("drift by ks(p_val=0.05, fdr, asymp)")
                .hasMessageContaining("drifted features [1]");
        assertThatThrownBy(() -> assertThatData(reference).comparedTo(shifted).driftsOnFeatures(KsDrift.ks(), 2))
                .isInstanceOf(AssertionError.class).hasMessageContaining("p-value of feature 2");
    }

    @Test
    void consistency_under_a_corruption_counts_unchanged_predictions() {
        Dataset data = gaussian(200, new double[] {0, 0, 0}, 4);
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            assertThatModel(classifier).on(data).predictionsAreConsistentUnder(new GaussianNoise(0), 1.0);
            assertThatThrownBy(() -> assertThatModel(classifier).on(data)
                    .predictionsAreConsistentUnder(new GaussianNoise(3.0), 0.9))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("fraction of unchanged predictions >= 0.9");
        }
    }
}

package dev.gauntlet.badinput;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatData;
import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.explain.Explainers;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.LinearModels;
import dev.gauntlet.shift.KsDrift;
import dev.gauntlet.trust.TrustScore;
import dev.gauntlet.uncertainty.Calibration;
import dev.gauntlet.uncertainty.TemperatureScaling;

import org.junit.jupiter.api.Test;

/** Bad attack settings, thresholds and metric inputs: typed errors naming the argument; data unchanged. */
class CheckBadInputTests {

    private static Dataset cube() {
        float[][] rows = new float[20][3];
        int[] labels = new int[20];
        for (int i = 0; i < 20; i++) {
            rows[i] = new float[] {i / 20f, (i % 5) / 5f, (i % 3) / 3f};
            labels[i] = i % 4;
        }
        return Dataset.builder().setFeatures(rows).setLabels(labels).setNumClasses(4).optBounds(ValueBounds.unit())
                .optName("cube").build();
    }

    @Test
    void negative_or_nan_epsilon() {
        assertThatThrownBy(() -> Attacks.pgd().linf(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epsilon");
        assertThatThrownBy(() -> Attacks.fgsm().linf(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epsilon");
        assertThatThrownBy(() -> Attacks.square().linf(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epsilon");
    }

    @Test
    void non_positive_steps_restarts_and_step_size() {
        assertThatThrownBy(() -> Attacks.pgd().steps(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("steps");
        assertThatThrownBy(() -> Attacks.apgd().steps(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("steps");
        assertThatThrownBy(() -> Attacks.pgd().restarts(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("restarts");
        assertThatThrownBy(() -> Attacks.pgd().stepSize(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stepSize");
        assertThatThrownBy(() -> Attacks.square().queries(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queries");
    }

    @Test
    void target_class_outside_the_model() {
        Dataset data = cube();
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            assertThatThrownBy(() -> assertThatModel(classifier).on(data).underAttack(Attacks.pgd().linf(0.1)
                    .targeted(7)).hasRobustAccuracyAtLeast(0.5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("target class 7");
        }
    }

    @Test
    void thresholds_outside_zero_to_one() {
        Dataset data = cube();
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            assertThatThrownBy(() -> assertThatModel(classifier).on(data).hasAccuracyAtLeast(1.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
            assertThatThrownBy(() -> assertThatModel(classifier).on(data).calibration().hasEceAtMost(-0.1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
            assertThatThrownBy(() -> assertThatModel(classifier).on(data).underAttack(Attacks.fgsm().linf(0.1))
                    .hasRobustAccuracyAtLeast(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("threshold");
        }
    }

    @Test
    void data_of_another_shape_than_the_model_takes() {
        Dataset wide = Dataset.builder().setFeatures(new float[][] {{0, 0, 0, 0}, {1, 1, 1, 1}})
                .setLabels(new int[] {0, 1}).setNumClasses(4).build();
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            assertThatThrownBy(() -> assertThatModel(classifier).on(wide).hasAccuracyAtLeast(0.5))
                    .isInstanceOf(dev.gauntlet.model.ShapeMismatchException.class).hasMessageContaining("shape");
        }
    }

    @Test
    void calibration_of_probabilities_that_are_not_probabilities() {
        assertThatThrownBy(() -> Calibration.of(new float[][] {{0.7f, 0.7f}}, new int[] {0}))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("sums to");
        assertThatThrownBy(() -> Calibration.of(new float[][] {{Float.NaN, 1f}}, new int[] {0}))
                .isInstanceOf(InvalidDataException.class);
        assertThatThrownBy(() -> Calibration.of(new float[][] {{0.5f, 0.5f}}, new int[] {0, 1}))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("labels");
    }

    @Test
    void temperature_scaling_with_mismatched_labels() {
        assertThatThrownBy(() -> TemperatureScaling.fit(new float[][] {{1, 0}, {0, 1}}, new int[] {0}))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("labels");
    }

    @Test
    void trust_score_with_k_zero_or_a_foreign_feature_count() {
        TrustScore score = TrustScore.fit(cube());
        assertThatThrownBy(() -> score.score(new float[][] {{0, 0, 0}}, new int[] {0}, 0, TrustScore.Mode.POINT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k");
        assertThatThrownBy(() -> score.score(new float[][] {{0, 0}}, new int[] {0}, 1, TrustScore.Mode.POINT))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("features");
        assertThatThrownBy(() -> score.score(new float[][] {{0, 0, 0}}, new int[] {9}, 1, TrustScore.Mode.POINT))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("prediction 9");
    }

    @Test
    void drift_between_data_of_different_widths() {
        Dataset narrow = Dataset.builder().setFeatures(new float[][] {{0, 0}, {1, 1}}).setLabels(new int[] {0, 1})
                .setNumClasses(4).build();
        assertThatThrownBy(() -> assertThatData(cube()).comparedTo(narrow).showsNoDrift(KsDrift.ks()))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("features");
    }

    @Test
    void explainer_settings_that_mean_nothing() {
        assertThatThrownBy(() -> Explainers.integratedGradients(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("steps");
        assertThatThrownBy(() -> Explainers.occlusion(0, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("patch");
        assertThatThrownBy(() -> Explainers.smoothGrad(-1, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("noiseLevel");
    }

    @Test
    void a_failing_check_leaves_the_data_unchanged() {
        Dataset data = cube();
        float[] before = data.features(3);
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            assertThatThrownBy(() -> assertThatModel(classifier).on(data).underAttack(Attacks.pgd().linf(1.0))
                    .hasRobustAccuracyAtLeast(1.0)).isInstanceOf(AssertionError.class);
        }
        assertThat(data.features(3)).containsExactly(before);
    }
}

package dev.gauntlet.assertj;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.certify.BoundMethod;
import dev.gauntlet.certify.CertificationReport;
import dev.gauntlet.certify.RandomizedSmoothing;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.LinearModels;

import org.junit.jupiter.api.Test;

/**
 * The bracket and smoothing assertions compare the measured reports with their thresholds and
 * say which end failed: given a linear model on the unit cube (every fifth label wrong), they pass
 * at the measured values and fail just beyond them.
 */
class BracketAssertionTests {

    private static final Dataset CUBE = LinearModels.cube(40, 5, 5);

    @Test
    void bracket_checks_pass_at_the_measured_values_and_fail_beyond_them_naming_the_end() {
        try (Model model = LinearModels.linearWithDropout(); Classifier classifier = LinearModels.classifier(model)) {
            var pgd = Attacks.pgd().linf(0.05).steps(10);
            BracketAssert bracket = assertThatModel(classifier).on(CUBE).underAttack(pgd).certified();
            CertificationReport report = bracket.report();
            // GIVEN the measured bracket: 8 of 40 labels are wrong, so at most 0.8 can be robust
            assertThat(report.cleanAccuracy()).isEqualTo(0.8);
            assertThat(report.contradictions()).isZero();
            // WHEN / THEN: thresholds at the measured values pass
            bracket.hasCertifiedAccuracyAtLeast(report.certifiedAccuracy())
                    .hasOpenFractionAtMost(report.openFraction())
                    .hasRobustAccuracyBetween(report.certifiedAccuracy(), report.robustAccuracyUpperBound())
                    .hasSoundBracketAt(0.02, 0.05, 0.1);
            assertThatModel(classifier).on(CUBE).underAttack(pgd)
                    .hasRobustAccuracyBetween(report.certifiedAccuracy(), report.robustAccuracyUpperBound());
            // and just beyond them fail, naming the failing end
            assertThatThrownBy(() -> bracket.hasCertifiedAccuracyAtLeast(report.certifiedAccuracy() + 0.05))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("certified accuracy >= ")
                    .hasMessageContaining("but was:").hasMessageContaining(String.valueOf(report.certifiedAccuracy()));
            assertThatThrownBy(() -> bracket.hasRobustAccuracyBetween(0, report.robustAccuracyUpperBound() - 0.05))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("attacked robust accuracy <= ");
            if (report.openFraction() > 0) {
                assertThatThrownBy(() -> bracket.hasOpenFractionAtMost(0)).hasMessageContaining("open fraction <= 0");
            }
            assertThatThrownBy(() -> bracket.hasRobustAccuracyBetween(0.6, 0.5))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void a_model_without_a_layer_view_is_refused_with_the_typed_exception_not_an_assertion_failure() {
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            assertThatThrownBy(() -> assertThatModel(classifier).on(CUBE).underAttack(Attacks.pgd().linf(0.05))
                    .certified(BoundMethod.IBP).hasCertifiedAccuracyAtLeast(0))
                    .isInstanceOf(dev.gauntlet.model.UnsupportedCapabilityException.class);
        }
    }

    @Test
    void smoothing_checks_compare_certified_accuracy_at_a_radius_and_the_abstention_rate() {
        Dataset far = Dataset.builder().setFeatures(new float[][] {{-1f, 1f, 0f}, {1f, -1f, 0f}, {0.9f, -0.8f, 0.1f}})
                .setLabels(new int[] {1, 0, 0}).setNumClasses(2).build();
        try (Model model = LinearModels.binaryLinear(); Classifier classifier = DjlClassifier.builder().setModel(model)
                .setInputShape(3).setNumClasses(2).build()) {
            RandomizedSmoothing smoothing = RandomizedSmoothing.gaussian(0.25).samples(50, 2_000);
            var smoothed = assertThatModel(classifier).on(far).smoothed(smoothing);
            smoothed.hasCertifiedAccuracyAtLeast(0.3, 1.0).hasAbstentionRateAtMost(0);
            assertThatThrownBy(() -> smoothed.hasCertifiedAccuracyAtLeast(5, 0.5)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("certified accuracy within L2 radius 5.0");
            assertThat(smoothed.report().samples()).isEqualTo(3);
        }
    }
}

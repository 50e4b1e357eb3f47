package dev.gauntlet.testkits.kits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.certify.BoundMethod;
import dev.gauntlet.certify.CertificationEvaluator;
import dev.gauntlet.certify.CertificationReport;
import dev.gauntlet.compare.ComparisonReport;
import dev.gauntlet.compare.ModelComparison;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kits' optional items through the engine: the per-class bar, candidate vs baseline (skipped
 * with the way to enable it when there is no baseline) and certified bounds (left out unless a bar
 * is set, skipped on a model without a layer view), on the UCI digits MLP so each battery runs in
 * seconds.
 */
class KitComparisonAndCertificationTests {

    @Test
    void a_kit_with_a_baseline_and_certification_runs_and_passes_every_new_check() {
        Map<String, TestExecutionResult> results = run(KitTestCases.WithBaselineKit.class);
        results.forEach((name, result) -> System.out.println("[gauntlet] " + result.getStatus() + " " + name));

        assertThat(results).hasSize(18);
        assertThat(results.values()).allSatisfy(r -> assertThat(r.getStatus())
                .isEqualTo(TestExecutionResult.Status.SUCCESSFUL));
        assertThat(results.keySet()).contains(
                "accuracy of every class >= 0.85 (Wilson 95%)",
                "accuracy not worse than the baseline's by more than 0.01",
                "recall of every class not worse than the baseline's by more than 0.02",
                "FGSM eps 0.03: robust accuracy not worse than the baseline's by more than 0.03",
                "certified accuracy >= 0.6 (CROWN vs PGD-20, eps 0.03, 60 samples)",
                "open fraction <= 0.2 (CROWN vs PGD-20, eps 0.03, 60 samples)");

        // the numbers behind the verdicts, for the README
        KitThresholds t = KitTestCases.thresholds();
        Dataset test = ReferenceModel.DIGITS_MLP.data().test();
        try (Classifier candidate = ReferenceModels.load(ReferenceModel.DIGITS_MLP);
                Classifier baseline = ReferenceModels.load(ReferenceModel.DIGITS_MLP, KitTestCases.BASELINE_SEED)) {
            ComparisonReport r = ModelComparison.of(candidate, baseline, test).accuracy();
            System.out.println("[gauntlet] candidate vs baseline: " + r.overall());
            CertificationReport c = CertificationEvaluator.evaluate(candidate, test.sample(t.certificationSamples(),
                    t.seed()), Attacks.pgd().linf(t.attackEpsilon()).steps(20), BoundMethod.CROWN, t.seed());
            System.out.printf("[gauntlet] certified %.3f, open %.3f, PGD-20 %.3f%n", c.certifiedAccuracy(),
                    c.openFraction(), c.robustAccuracyUpperBound());
        }
    }

    @Test
    void a_candidate_worse_on_one_class_fails_the_comparison_and_is_not_certified_without_a_layer_view() {
        Map<String, TestExecutionResult> results = run(KitTestCases.RegressedCandidateKit.class);

        assertThat(failure(results, "recall of every class not worse than the baseline's by more than 0.02"))
                .contains("class " + KitTestCases.REGRESSED_CLASS + " (")
                .contains("McNemar one-sided mid-p")
                .satisfies(m -> System.out.println("[gauntlet] per-class comparison: " + m));
        assertThat(failure(results, "accuracy not worse than the baseline's by more than 0.01"))
                .contains("all samples");
        assertThat(failure(results, "accuracy of every class >= 0.85 (Wilson 95%)"))
                .contains("class " + KitTestCases.REGRESSED_CLASS + " (");
        for (String certification : new String[] {"certified accuracy >= 0.6", "open fraction <= 0.2"}) {
            TestExecutionResult result = results.get(certification + " (CROWN vs PGD-20, eps 0.03, 60 samples)");
            assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.ABORTED);
            assertThat(result.getThrowable().orElseThrow().getMessage())
                    .contains("layer view").contains("hides its layers");
        }
    }

    @Test
    void without_a_baseline_the_comparison_is_skipped_saying_how_to_enable_it_and_certification_is_left_out() {
        Map<String, TestExecutionResult> results = run(KitTestCases.WithoutBaselineKit.class);

        assertThat(results.entrySet()).filteredOn(e -> e.getKey().contains("than the baseline's")).hasSize(3)
                .allSatisfy(e -> {
                    assertThat(e.getValue().getStatus()).isEqualTo(TestExecutionResult.Status.ABORTED);
                    assertThat(e.getValue().getThrowable().orElseThrow().getMessage())
                            .contains("override baselineModel()");
                });
        assertThat(results.keySet()).noneMatch(name -> name.contains("certified") || name.contains("open fraction"));
        assertThat(results).hasSize(16);
    }

    @Test
    void thresholds_keep_what_they_do_not_change_and_refuse_bars_outside_their_range() {
        KitThresholds t = KitThresholds.defaults();
        assertThat(t.classAccuracy()).isEqualTo(0.5);
        assertThat(t.certifies()).isFalse();
        assertThat(t.baselineAccuracyMargin()).isEqualTo(0.01);
        assertThat(t.baselineClassMargin()).isEqualTo(0.02);
        assertThat(t.baselineRobustMargin()).isEqualTo(0.03);
        assertThat(t.baselineAlpha()).isEqualTo(0.05);

        KitThresholds changed = t.withBaseline(0.02, 0.05, 0.1, 0.01).withCertification(0.7, KitThresholds.OFF, 30);
        assertThat(changed.certifies()).isTrue();
        assertThat(changed).isEqualTo(new KitThresholds(0.8, 0.5, 0.03, 0.5, 0.3, 0.3, 2, 0.7, 0.05, 0.7, 0.7, 0.9,
                0.1, 1.0, 0.02, 0.05, 0.1, 0.01, 0.7, Double.NaN, 30, 500, 20, 0));
        assertThat(t.withClassAccuracy(0).classAccuracy()).isZero();

        assertThatThrownBy(() -> t.withBaseline(0.01, 0.02, 0.03, 0.5)).hasMessageContaining("baselineAlpha");
        assertThatThrownBy(() -> t.withCertification(1.5, KitThresholds.OFF, 30))
                .hasMessageContaining("certifiedAccuracy");
        assertThatThrownBy(() -> t.withCertification(0.5, 0.1, 0)).hasMessageContaining("certificationSamples");
        assertThatThrownBy(() -> t.withClassAccuracy(-0.1)).hasMessageContaining("[0, 1]");
    }

    /** Runs a fixture kit through the engine: each dynamic test's display name and result. */
    private static Map<String, TestExecutionResult> run(Class<?> kit) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(kit))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false").execute();
        Map<String, TestExecutionResult> byName = new LinkedHashMap<>();
        for (Event event : results.testEvents().finished().list()) {
            byName.put(event.getTestDescriptor().getDisplayName(),
                    event.getPayload(TestExecutionResult.class).orElseThrow());
        }
        return byName;
    }

    private static String failure(Map<String, TestExecutionResult> results, String name) {
        TestExecutionResult result = results.get(name);
        assertThat(result).as("a test named '%s' among %s", name, results.keySet()).isNotNull();
        assertThat(result.getStatus()).as(name).isEqualTo(TestExecutionResult.Status.FAILED);
        return result.getThrowable().orElseThrow().getMessage();
    }
}

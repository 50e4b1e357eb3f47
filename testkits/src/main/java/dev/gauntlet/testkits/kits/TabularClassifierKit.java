package dev.gauntlet.testkits.kits;

import dev.gauntlet.counterfactual.Counterfactuals;
import dev.gauntlet.counterfactual.Distance;
import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.explain.Explainers;
import dev.gauntlet.junit.GauntletReporting;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.shift.TabularCorruption;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.stream.Stream;

/**
 * A ready-made battery for a tabular classifier: implement three methods and every check becomes
 * its own test in the report.
 *
 * <pre>{@code
 * class CreditModelGate implements TabularClassifierKit {
 *     public Classifier model() { ... }
 *     public DatasetSplit data() { ... }
 *     public KitThresholds thresholds() { return KitThresholds.defaults().withRobustness(0.1, 0.8, 0.7, 0.7); }
 * }
 * }</pre>
 *
 * <p>The battery: clean accuracy and the accuracy of every class (a 95% Wilson interval per
 * class, {@link KitThresholds#withClassAccuracy}); accuracy, every class's recall and FGSM robust
 * accuracy against a baseline (when {@link #baselineModel()} gives one, otherwise skipped); FGSM,
 * PGD-20 and the cascade at ε (in the features' units, e.g. standard deviations for standardised
 * data) with the sanity checks; CROWN-certified accuracy and the open fraction at ε on a seeded
 * sample (only when {@link KitThresholds#withCertification} sets a bar; milliseconds per sample on
 * an MLP); accuracy under Gaussian noise and missing values; no drift between training and
 * held-out data; calibration; trust score; Wachter counterfactuals (MAD-scaled L1) valid and not
 * tiny; Integrated-Gradients stability. Checks that need something the model cannot give (input
 * gradients, a layer view) are reported as skipped with the reason.
 */
@ExtendWith(GauntletReporting.class)
public interface TabularClassifierKit {

    /**
     * Returns the model under test; it is loaded once per battery and closed after it.
     *
     * @return the classifier
     */
    Classifier model();

    /**
     * Returns the training data (reference for drift, trust scores and counterfactuals) and the
     * held-out data the checks run on.
     *
     * @return the split
     */
    DatasetSplit data();

    /**
     * Returns the bars; {@link KitThresholds#defaults()} unless overridden.
     *
     * @return the thresholds
     */
    default KitThresholds thresholds() {
        return KitThresholds.defaults();
    }

    /**
     * Returns the model the candidate would replace (the one in production, or the last release), or
     * null: then the comparison tests are reported as skipped, saying how to enable them. It is loaded
     * once, on the first comparison test, and closed after the battery.
     *
     * <p>With a baseline, three tests compare the two on the same samples, decided on the paired
     * predictions (McNemar's one-sided mid-p test on the samples where they disagree): held-out
     * accuracy not worse by more than {@link KitThresholds#baselineAccuracyMargin()}, no class's recall
     * worse by more than {@link KitThresholds#baselineClassMargin()} (Holm-adjusted over the classes),
     * and robust accuracy under FGSM at the attack budget, on the attack sample, not worse by more than
     * {@link KitThresholds#baselineRobustMargin()}; a drop fails only when it exceeds the margin and
     * the p-value is below {@link KitThresholds#baselineAlpha()}. Set them with
     * {@link KitThresholds#withBaseline(double, double, double, double)}.
     *
     * @return the baseline, or null to skip the comparison
     */
    default Classifier baselineModel() {
        return null;
    }

    /**
     * The battery.
     *
     * @return one dynamic test per check
     */
    @TestFactory
    default Stream<DynamicTest> gauntlet() {
        KitThresholds t = thresholds();
        int severity = t.corruptionSeverity();
        return new Battery(this::model, data(), t)
                .accuracy()
                .perClass()
                .comparison(this::baselineModel)
                .robustness()
                .certification()
                .corruptions(List.of(new TabularCorruption(TabularCorruption.Kind.GAUSSIAN_NOISE, severity),
                        new TabularCorruption(TabularCorruption.Kind.MISSING_VALUES, severity)))
                .drift()
                .confidence(null, null)
                .counterfactuals(Counterfactuals.wachter().distance(Distance.MAD_L1))
                .explanations(Explainers.integratedGradients(32))
                .stream();
    }
}

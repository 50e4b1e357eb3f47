package dev.gauntlet.testkits.kits;

import dev.gauntlet.counterfactual.Counterfactuals;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.explain.Explainers;
import dev.gauntlet.junit.GauntletReporting;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.shift.ImageCorruption;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.stream.Stream;

/**
 * A ready-made battery for an image classifier (samples {@code (channels, height, width)} in
 * [0, 1]): implement three methods and every check becomes its own test in the report.
 *
 * <pre>{@code
 * class MyCnnGate implements ImageClassifierKit {
 *     public Classifier model() { return DjlClassifier.builder()...build(); }
 *     public DatasetSplit data() { return new DatasetSplit(train, test); }
 *     public KitThresholds thresholds() { return KitThresholds.defaults().withCleanAccuracy(0.89); }
 * }
 * }</pre>
 *
 * <p>The battery: clean accuracy and the accuracy of every class (a 95% Wilson interval per
 * class, {@link KitThresholds#withClassAccuracy}); accuracy, every class's recall and FGSM robust
 * accuracy against a baseline (when {@link #baselineModel()} gives one, otherwise skipped); FGSM,
 * PGD-20 and a quick AutoAttack-style cascade (APGD-CE and APGD-DLR at 50 steps, Square at 300
 * queries) at ε with the gradient-masking sanity checks; CROWN-certified accuracy and the open
 * fraction at ε on a small sample (only when {@link KitThresholds#withCertification} sets a bar);
 * accuracy under Gaussian noise, blur and contrast; no drift between training and held-out data;
 * calibration; trust score; MC-dropout OOD detection (when {@link #dropoutModel()} and
 * {@link #outOfDistribution()} are given); prototype-guided counterfactual validity and distance;
 * SmoothGrad stability. Checks that need something the model cannot give (input gradients, a
 * layer view) are reported as skipped with the reason.
 *
 * <pre>{@code
 * class MyCnnReleaseGate implements ImageClassifierKit {
 *     public Classifier model() { return candidate; }
 *     public Classifier baselineModel() { return inProduction; }  // enables the three comparison tests
 *     public DatasetSplit data() { return new DatasetSplit(train, test); }
 *     public KitThresholds thresholds() {
 *         return KitThresholds.defaults().withClassAccuracy(0.7)
 *                 .withBaseline(0.01, 0.02, 0.03, 0.05)      // δ accuracy, δ per class, δ robust, α
 *                 .withCertification(0.2, KitThresholds.OFF, 30); // CROWN: 1-3 s per sample on a CNN
 *     }
 * }
 * }</pre>
 */
@ExtendWith(GauntletReporting.class)
public interface ImageClassifierKit {

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
     * Returns a model with dropout for MC-dropout uncertainty, or null to skip that check.
     *
     * @return the model, closed after the check
     */
    default Classifier dropoutModel() {
        return null;
    }

    /**
     * Returns data the model should not recognise, or null to skip the OOD check.
     *
     * @return out-of-distribution samples of the same shape
     */
    default Dataset outOfDistribution() {
        return null;
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
                .corruptions(List.of(ImageCorruption.gaussianNoise(severity), ImageCorruption.blur(severity),
                        new ImageCorruption(ImageCorruption.Kind.CONTRAST, severity)))
                .drift()
                .confidence(this::dropoutModel, this::outOfDistribution)
                .counterfactuals(Counterfactuals.prototypeGuided().budget(3, 100))
                .explanations(Explainers.smoothGrad(0.15, 10))
                .stream();
    }
}

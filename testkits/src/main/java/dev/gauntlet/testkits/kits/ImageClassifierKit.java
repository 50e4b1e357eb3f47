package dev.gauntlet.testkits.kits;

import dev.gauntlet.counterfactual.Counterfactuals;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.explain.Explainers;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.shift.ImageCorruption;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

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
 * <p>The battery: clean accuracy; FGSM, PGD-20 and a quick AutoAttack-style cascade (APGD-CE and
 * APGD-DLR at 50 steps, Square at 300 queries) at ε with the
 * gradient-masking sanity checks; accuracy under Gaussian noise, blur and contrast; no drift
 * between training and held-out data; calibration; trust score; MC-dropout OOD detection (when
 * {@link #dropoutModel()} and {@link #outOfDistribution()} are given); prototype-guided
 * counterfactual validity and distance; SmoothGrad stability.
 */
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
                .robustness()
                .corruptions(List.of(ImageCorruption.gaussianNoise(severity), ImageCorruption.blur(severity),
                        new ImageCorruption(ImageCorruption.Kind.CONTRAST, severity)))
                .drift()
                .confidence(this::dropoutModel, this::outOfDistribution)
                .counterfactuals(Counterfactuals.prototypeGuided().budget(3, 100))
                .explanations(Explainers.smoothGrad(0.15, 10))
                .stream();
    }
}

package dev.gauntlet.testkits.kits;

import dev.gauntlet.counterfactual.Counterfactuals;
import dev.gauntlet.counterfactual.Distance;
import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.explain.Explainers;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.shift.TabularCorruption;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

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
 * <p>The battery: clean accuracy; FGSM, PGD-20 and the cascade at ε (in the features' units,
 * e.g. standard deviations for standardised data) with the sanity checks; accuracy under Gaussian
 * noise and missing values; no drift between training and held-out data; calibration; trust score;
 * Wachter counterfactuals (MAD-scaled L1) valid and not tiny; Integrated-Gradients stability.
 */
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
                .corruptions(List.of(new TabularCorruption(TabularCorruption.Kind.GAUSSIAN_NOISE, severity),
                        new TabularCorruption(TabularCorruption.Kind.MISSING_VALUES, severity)))
                .drift()
                .confidence(null, null)
                .counterfactuals(Counterfactuals.wachter().distance(Distance.MAD_L1))
                .explanations(Explainers.integratedGradients(32))
                .stream();
    }
}

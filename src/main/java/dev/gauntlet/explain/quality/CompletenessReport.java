package dev.gauntlet.explain.quality;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.util.Arrays;
import java.util.Map;
import dev.gauntlet.explain.ExplanationBatch;
import dev.gauntlet.explain.IntegratedGradients;
import dev.gauntlet.report.Fields;

/**
 * Integrated Gradients' completeness on a dataset: per sample, {@code Σ attributions − (z_c(x) − z_c(x′))},
 * zero but for quadrature error.
 *
 * @param deltas the completeness delta of each sample
 */
public record CompletenessReport(double[] deltas) {

    /** Copies the deltas. */
    public CompletenessReport {
        deltas = deltas.clone();
    }

    /**
     * Measures the completeness of given Integrated-Gradients explanations of {@code data}.
     *
     * @param method the Integrated Gradients that explained
     * @param classifier the model
     * @param data the explained samples
     * @param explanations their explanations by {@code method}, one per sample in order
     * @return the report
     */
    public static CompletenessReport of(IntegratedGradients method, Classifier classifier, Dataset data,
            ExplanationBatch explanations) {
        try (NDManager scope = classifier.newScope()) {
            NDArray x = data.features(scope, 0, data.size());
            NDArray classes = scope.create(explanations.classes()).toType(DataType.INT32, false);
            float[] flat = new float[explanations.size() * data.featureCount()];
            for (int i = 0; i < explanations.size(); i++) {
                System.arraycopy(explanations.attributions()[i], 0, flat, i * data.featureCount(),
                        data.featureCount());
            }
            return new CompletenessReport(method.completenessDeltas(classifier, x, classes,
                    scope.create(flat, x.getShape())));
        }
    }

    /**
     * Returns the largest |delta|, the value a completeness tolerance judges.
     *
     * @return the largest absolute delta, 0 for no samples
     */
    public double maxAbsolute() {
        return Arrays.stream(deltas).map(Math::abs).max().orElse(0);
    }

    /**
     * Returns the mean |delta|.
     *
     * @return the mean absolute delta, 0 for no samples
     */
    public double meanAbsolute() {
        return Arrays.stream(deltas).map(Math::abs).average().orElse(0);
    }

    /**
     * Returns the metrics as an ordered map, for JSON evidence.
     *
     * @return the largest and mean absolute delta and every delta
     */
    public Map<String, Object> toMap() {
        return Fields.of(
                "maxAbsoluteDelta", maxAbsolute(),
                "meanAbsoluteDelta", meanAbsolute(),
                "deltas", deltas.clone());
    }
}

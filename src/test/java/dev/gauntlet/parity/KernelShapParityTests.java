package dev.gauntlet.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import dev.gauntlet.explain.Explainers;
import dev.gauntlet.explain.ExplanationBatch;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.DjlClassifier;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * KernelSHAP ({@link Explainers#kernelShap}) on a linear model against the closed form
 * {@code φ_j = w_j (x_j − mean_background_j)}, over the grid of
 * {@code src/test/python/parity/kernelshap_parity.py}: 2 to 784 features (every coalition
 * enumerated up to 12, sampled above, which is still exact for an additive model), 1 to 100
 * background rows, weights and values from 2^-10 to 2^13. Every logit of the float32 model is exact
 * by construction, so the tolerance is 1e-6 relative; a φ that is exactly 0 (zero weight) is held to
 * 1e-6 of the sample's largest |φ|.
 */
class KernelShapParityTests {

    private static final SeededData.Deviation SHAP = new SeededData.Deviation("kernel shap (relative)");

    @TestFactory
    Stream<DynamicTest> shapley_values_of_a_linear_model_match_the_closed_form() {
        return SeededData.tests("kernelshap", c -> true, KernelShapParityTests::check);
    }

    private static void check(JsonObject c) {
        int d = c.get("features").getAsInt();
        float[] weights = SeededData.generate(c.getAsJsonObject("weights"));
        float[][] background = SeededData.rows(SeededData.generate(c.getAsJsonObject("background")), d);
        float[][] samples = SeededData.rows(SeededData.generate(c.getAsJsonObject("samples")), d);
        JsonArray shap = c.getAsJsonArray("shap");
        try (Model model = linear(weights, c.get("bias").getAsFloat());
                Classifier classifier = DjlClassifier.builder().setModel(model).setInputShape(d).setNumClasses(2)
                        .build()) {
            ExplanationBatch explanations = Explainers.kernelShap(SeededData.dataset(background, "background"))
                    .explain(classifier, SeededData.dataset(samples, "samples"), new int[samples.length], 0);
            for (int i = 0; i < samples.length; i++) {
                JsonArray expectedRow = shap.get(i).getAsJsonArray();
                double largest = 0;
                for (int j = 0; j < d; j++) {
                    largest = Math.max(largest, Math.abs(expectedRow.get(j).getAsDouble()));
                }
                for (int j = 0; j < d; j++) {
                    double expected = expectedRow.get(j).getAsDouble();
                    double actual = explanations.attributions()[i][j];
                    String place = c.get("name").getAsString() + " sample " + i + " feature " + j;
                    if (expected != 0) {
                        SHAP.record(SeededData.relative(actual, expected), place);
                    }
                    double tolerance = 1e-6 * (expected != 0 ? Math.abs(expected) : largest);
                    assertThat(actual).as(place).isCloseTo(expected, within(tolerance));
                }
            }
        }
    }

    /** Class 0's logit is w·x + b, class 1's is 0. */
    private static Model linear(float[] weights, float bias) {
        Model model = Model.newInstance("parity-linear");
        Block block = Linear.builder().setUnits(2).build();
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, weights.length));
        float[] flat = new float[2 * weights.length];
        System.arraycopy(weights, 0, flat, 0, weights.length);
        block.getParameters().get("weight").getArray().set(flat);
        block.getParameters().get("bias").getArray().set(new float[] {bias, 0});
        return model;
    }

    @AfterAll
    static void printLargestDeviation() {
        SHAP.print();
    }
}

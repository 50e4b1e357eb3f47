package dev.gauntlet.model;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatData;
import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.GauntletException;
import dev.gauntlet.attack.Attacks;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.shift.GaussianNoise;
import dev.gauntlet.shift.KsDrift;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/** ONNX models (DJL's ONNX Runtime engine) run the gradient-free checks and refuse the others clearly. */
class OnnxModelTests {

    @TempDir
    Path dir;

    private Model onnx() throws IOException, MalformedModelException {
        OnnxModels.linear(dir.resolve("linear.onnx"), LinearModels.W, LinearModels.B);
        Model model = Model.newInstance("linear", Device.cpu(), "OnnxRuntime");
        model.load(dir, "linear");
        return model;
    }

    @Test
    void an_onnx_model_gives_the_closed_form_logits() throws Exception {
        try (Model model = onnx(); DjlClassifier classifier = DjlClassifier.builder().setModel(model).setInputShape(3)
                .setNumClasses(4).build(); NDManager scope = classifier.newScope()) {
            assertThat(classifier.computeTarget().engineName()).isEqualTo("OnnxRuntime");
            float[] x = {0.2f, -0.4f, 1.0f};
            float[] logits = classifier.logits(scope.create(x, new Shape(1, 3))).toFloatArray();
            float[] expected = LinearModels.expectedLogits(x);
            for (int c = 0; c < 4; c++) {
                assertThat((double) logits[c]).isCloseTo(expected[c], within(1e-5));
            }
        }
    }

    @Test
    void gradient_free_checks_run_on_an_onnx_model() throws Exception {
        Dataset data = LinearModels.cube(200, 1, 5);
        Dataset train = LinearModels.cube(400, 2, 5);
        try (Model model = onnx(); DjlClassifier classifier = DjlClassifier.builder().setModel(model).setInputShape(3)
                .setNumClasses(4).build()) {
            assertThatModel(classifier).on(data).hasAccuracyAtLeast(0.7);
            assertThatModel(classifier).on(data).underAttack(Attacks.square().linf(0.3).queries(200))
                    .hasRobustAccuracyAtMost(0.79);
            assertThatModel(classifier).on(data).hasAccuracyUnder(new GaussianNoise(0.01), 0.7);
            assertThatModel(classifier).on(data).calibration().hasEceAtMost(0.5);
            assertThatModel(classifier).on(data).trustScores(train).separatesErrorsWithAurocAtLeast(0.5);
            assertThatData(train).comparedTo(data).showsNoDrift(KsDrift.ks().fdr());
        }
    }

    @Test
    void gradient_checks_on_an_onnx_model_name_the_limitation() throws Exception {
        Dataset data = LinearModels.cube(20, 3, 5);
        try (Model model = onnx(); DjlClassifier classifier = DjlClassifier.builder().setModel(model).setInputShape(3)
                .setNumClasses(4).build()) {
            assertThatThrownBy(() -> assertThatModel(classifier).on(data).underAttack(Attacks.pgd().linf(0.1))
                    .hasRobustAccuracyAtLeast(0.5)).isInstanceOf(GauntletException.class)
                    .hasMessageContaining("OnnxRuntime").hasMessageContaining("gradient-free");
        }
    }
}

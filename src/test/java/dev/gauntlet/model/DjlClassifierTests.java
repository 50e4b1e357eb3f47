package dev.gauntlet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;

import dev.gauntlet.data.Dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

class DjlClassifierTests {

    private static final float[][] INPUTS = {
        {0.2f, -0.4f, 1.0f},
        {-1.3f, 0.7f, 0.05f},
        {2.0f, 1.0f, -3.0f},
    };
    private static final int[] LABELS = {0, 2, 3};

    @Test
    void logits_match_the_closed_form() {
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model);
                NDManager scope = classifier.newScope()) {
            float[] actual = classifier.logits(scope.create(INPUTS)).toFloatArray();
            for (int i = 0; i < INPUTS.length; i++) {
                float[] expected = LinearModels.expectedLogits(INPUTS[i]);
                for (int c = 0; c < 4; c++) {
                    assertThat(actual[i * 4 + c]).isCloseTo(expected[c], within(1e-5f));
                }
            }
        }
    }

    @Test
    void cross_entropy_input_gradient_matches_the_closed_form() {
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model);
                NDManager scope = classifier.newScope()) {
            NDArray x = scope.create(INPUTS);
            float[] gradient = classifier.inputGradient(x, scope.create(LABELS)).toFloatArray();
            for (int i = 0; i < INPUTS.length; i++) {
                double[] expected = LinearModels.expectedCrossEntropyGradient(INPUTS[i], LABELS[i]);
                for (int j = 0; j < 3; j++) {
                    assertThat((double) gradient[i * 3 + j]).isCloseTo(expected[j], within(1e-5));
                }
            }
            assertThat(x.toFloatArray()).as("inputs are not modified")
                    .containsExactly(flatten(INPUTS));
        }
    }

    @Test
    void a_warm_up_changes_no_result_and_refuses_an_empty_batch() {
        try (Model model = LinearModels.softmaxLinear();
                DjlClassifier classifier = (DjlClassifier) LinearModels.classifier(model);
                NDManager scope = classifier.newScope()) {
            assertThat(classifier.warmUp(3)).isSameAs(classifier);
            assertThat(classifier.warmUp(3)).as("a second call at the same batch size").isSameAs(classifier);
            float[] logits = classifier.logits(scope.create(INPUTS)).toFloatArray();
            float[] gradient = classifier.inputGradient(scope.create(INPUTS), scope.create(LABELS)).toFloatArray();
            for (int i = 0; i < INPUTS.length; i++) {
                float[] expected = LinearModels.expectedLogits(INPUTS[i]);
                double[] expectedGradient = LinearModels.expectedCrossEntropyGradient(INPUTS[i], LABELS[i]);
                for (int c = 0; c < 4; c++) {
                    assertThat(logits[i * 4 + c]).isCloseTo(expected[c], within(1e-5f));
                }
                for (int j = 0; j < 3; j++) {
                    assertThat((double) gradient[i * 3 + j]).isCloseTo(expectedGradient[j], within(1e-5));
                }
            }
            assertThatThrownBy(() -> classifier.warmUp(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(">= 1");
        }
    }

    @Test
    void class_logit_gradient_is_the_class_weight_row() {
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model);
                NDManager scope = classifier.newScope()) {
            float[] gradient = classifier
                    .inputGradient(scope.create(INPUTS), scope.create(LABELS), GradientLoss.classLogit())
                    .toFloatArray();
            for (int i = 0; i < INPUTS.length; i++) {
                for (int j = 0; j < 3; j++) {
                    assertThat(gradient[i * 3 + j]).isCloseTo(LinearModels.W[LABELS[i]][j], within(1e-6f));
                }
            }
        }
    }

    @Test
    void input_gradient_leaves_weight_gradients_untouched() {
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model);
                NDManager scope = classifier.newScope()) {
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
            classifier.inputGradient(scope.create(INPUTS), scope.create(LABELS));
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                NDArray weightGradient = p.getValue().getArray().getGradient();
                assertThat(weightGradient.abs().sum().getFloat()).as("gradient of %s", p.getKey()).isZero();
            }
        }
    }

    @Test
    void gradient_of_a_dropout_model_is_taken_in_inference_mode() {
        try (Model model = LinearModels.linearWithDropout(); Classifier classifier = LinearModels.classifier(model);
                NDManager scope = classifier.newScope()) {
            float[] first = classifier.inputGradient(scope.create(INPUTS), scope.create(LABELS)).toFloatArray();
            float[] second = classifier.inputGradient(scope.create(INPUTS), scope.create(LABELS)).toFloatArray();
            assertThat(second).as("deterministic: dropout is off").containsExactly(first);
            for (int i = 0; i < INPUTS.length; i++) {
                double[] expected = LinearModels.expectedCrossEntropyGradient(INPUTS[i], LABELS[i]);
                for (int j = 0; j < 3; j++) {
                    assertThat((double) first[i * 3 + j]).isCloseTo(expected[j], within(1e-5));
                }
            }
        }
    }

    @Test
    void gradient_of_a_batch_norm_model_uses_running_statistics_and_changes_nothing() {
        try (Model model = LinearModels.batchNormLinear(); Classifier classifier = LinearModels.classifier(model);
                NDManager scope = classifier.newScope()) {
            String before = classifier.fingerprint();
            float[] gradient = classifier.inputGradient(scope.create(INPUTS), scope.create(LABELS)).toFloatArray();
            float[] logits = classifier.logits(scope.create(INPUTS)).toFloatArray();
            for (int i = 0; i < INPUTS.length; i++) {
                float[] expectedLogits = LinearModels.expectedLogits(LinearModels.normalised(INPUTS[i]));
                // chain rule: d xhat_j / d x_j = gamma_j / sqrt(var_j + eps)
                double[] upstream = LinearModels.expectedCrossEntropyGradient(LinearModels.normalised(INPUTS[i]), LABELS[i]);
                for (int j = 0; j < 3; j++) {
                    double scale = LinearModels.BN_GAMMA[j] / Math.sqrt(LinearModels.BN_VAR[j] + LinearModels.BN_EPSILON);
                    assertThat((double) gradient[i * 3 + j]).isCloseTo(upstream[j] * scale, within(1e-4));
                }
                for (int c = 0; c < 4; c++) {
                    assertThat(logits[i * 4 + c]).isCloseTo(expectedLogits[c], within(1e-4f));
                }
            }
            assertThat(classifier.fingerprint()).as("running statistics unchanged").isEqualTo(before);
        }
    }

    @Test
    void dataset_methods_agree_with_the_closed_form() {
        Dataset data = Dataset.builder().setFeatures(INPUTS).setLabels(LABELS).setNumClasses(4).build();
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = DjlClassifier.builder()
                .setModel(model).setInputShape(3).setNumClasses(4).optBatchSize(2).build()) {
            int[] predicted = classifier.predict(data);
            int correct = 0;
            for (int i = 0; i < INPUTS.length; i++) {
                float[] z = LinearModels.expectedLogits(INPUTS[i]);
                int best = 0;
                for (int c = 1; c < 4; c++) {
                    best = z[c] > z[best] ? c : best;
                }
                assertThat(predicted[i]).isEqualTo(best);
                correct += best == LABELS[i] ? 1 : 0;
                float[] p = classifier.probabilities(data)[i];
                double sum = 0;
                for (float v : p) {
                    sum += v;
                }
                assertThat(sum).isCloseTo(1.0, within(1e-6));
            }
            assertThat(classifier.accuracy(data)).isEqualTo((double) correct / INPUTS.length);
        }
    }

    @Test
    void fingerprint_follows_the_weights() {
        try (Model a = LinearModels.softmaxLinear(); Model b = LinearModels.softmaxLinear()) {
            String fa = Fingerprints.ofParameters(a.getBlock());
            assertThat(fa).hasSize(64).isEqualTo(Fingerprints.ofParameters(b.getBlock()));
            NDArray weight = b.getBlock().getParameters().get("weight").getArray();
            float[] w = weight.toFloatArray();
            w[5] += 1e-3f;
            weight.set(w);
            assertThat(Fingerprints.ofParameters(b.getBlock())).isNotEqualTo(fa);
        }
    }

    @Test
    void saved_parameters_load_into_the_architecture(@TempDir Path dir) throws IOException {
        try (Model model = LinearModels.softmaxLinear()) {
            model.save(dir, "linear");
            try (DjlClassifier loaded = DjlClassifier.builder()
                    .setArchitecture(() -> Linear.builder().setUnits(4).build())
                    .setInputShape(3).setNumClasses(4)
                    .optParameters(dir, "linear").build();
                    NDManager scope = loaded.newScope()) {
                assertThat(loaded.fingerprint()).isEqualTo(Fingerprints.ofParameters(model.getBlock()));
                float[] logits = loaded.logits(scope.create(INPUTS)).toFloatArray();
                assertThat(Arrays.copyOf(logits, 4))
                        .containsExactly(LinearModels.expectedLogits(INPUTS[0]), within(1e-5f));
            }
        }
    }

    @Test
    void missing_truncated_or_foreign_parameters_are_clear_errors(@TempDir Path dir) throws IOException {
        var linear = DjlClassifier.builder()
                .setArchitecture(() -> Linear.builder().setUnits(4).build())
                .setInputShape(3).setNumClasses(4);
        assertThatThrownBy(() -> linear.optParameters(dir.resolve("absent"), "linear").build())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("does not exist");

        try (Model model = LinearModels.softmaxLinear()) {
            model.save(dir, "linear");
        }
        Path params = dir.resolve("linear-0000.params");
        byte[] bytes = Files.readAllBytes(params);
        Files.write(params, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> linear.optParameters(dir, "linear").build())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("linear")
                .hasMessageContaining("same architecture");

        try (Model model = LinearModels.softmaxLinear()) {
            model.save(dir, "other");
        }
        assertThatThrownBy(() -> DjlClassifier.builder()
                        .setArchitecture(() -> Linear.builder().setUnits(7).build())
                        .setInputShape(3).setNumClasses(7).optParameters(dir, "other").build())
                .isInstanceOf(ModelLoadException.class);
    }

    @Test
    void inputs_of_the_wrong_shape_or_type_are_rejected() {
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model);
                NDManager scope = classifier.newScope()) {
            assertThatThrownBy(() -> classifier.logits(scope.ones(new Shape(2, 5))))
                    .isInstanceOf(ShapeMismatchException.class)
                    .hasMessageContaining("(2, 5)").hasMessageContaining("(n, 3)");
            assertThatThrownBy(() -> classifier.logits(scope.ones(new Shape(2, 3), DataType.INT32)))
                    .isInstanceOf(ShapeMismatchException.class).hasMessageContaining("float32");
            assertThatThrownBy(() -> classifier.inputGradient(scope.ones(new Shape(2, 3)), scope.create(new int[] {1})))
                    .isInstanceOf(ShapeMismatchException.class).hasMessageContaining("one label per input");
            Dataset wide = Dataset.builder().setFeatures(new float[][] {{1, 2}}).setLabels(new int[] {0})
                    .setNumClasses(4).optName("wide").build();
            assertThatThrownBy(() -> classifier.accuracy(wide))
                    .isInstanceOf(ShapeMismatchException.class).hasMessageContaining("'wide'");
        }
    }

    @Test
    void a_model_that_does_not_fit_the_declared_shape_fails_at_build_time() {
        try (Model model = LinearModels.softmaxLinear()) {
            assertThatThrownBy(() -> DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(5).build())
                    .isInstanceOf(ShapeMismatchException.class).hasMessageContaining("(1, 5)");
            assertThatThrownBy(() -> DjlClassifier.builder().setModel(model).setInputShape(8).setNumClasses(4).build())
                    .isInstanceOf(ShapeMismatchException.class);
        }
    }

    @Test
    void absent_gpu_and_unknown_engine_are_clear_errors() {
        assertThatThrownBy(() -> ComputeTarget.resolve(null, "gpu:3"))
                .isInstanceOf(ComputeUnavailableException.class).hasMessageContaining("gpu:3")
                .hasMessageContaining("cpu");
        assertThatThrownBy(() -> ComputeTarget.resolve("NoSuchEngine", "cpu"))
                .isInstanceOf(ComputeUnavailableException.class).hasMessageContaining("NoSuchEngine");
        assertThatThrownBy(() -> ComputeTarget.resolve(null, "tpu"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tpu");
        assertThat(ComputeTarget.resolve(null, null).engineName()).isEqualTo(ai.djl.engine.Engine.getDefaultEngineName());
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[i].length, rows[i].length);
        }
        return flat;
    }
}

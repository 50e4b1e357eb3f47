package dev.gauntlet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.explain.Explainers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Model files from other frameworks, loaded with {@code setModelPath}: TorchScript files written by
 * PyTorch ({@code src/test/python/make_test_models.py}), MXNet symbol exports and the declared
 * model contract (preprocessing, output kind, output index), against closed forms and PyTorch's
 * own outputs.
 */
class ModelFileTests {

    private static final float[] X = {0.2f, -0.4f, 1.0f};

    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(ModelFileTests.class.getResource("/models/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DjlClassifier.Builder linear(Path file) {
        return DjlClassifier.builder().setModelPath(file).setInputShape(3).setNumClasses(4);
    }

    private static void assertClosedFormLogitsAndGradient(Classifier classifier) {
        try (NDManager scope = classifier.newScope()) {
            NDArray x = scope.create(X, new Shape(1, 3));
            float[] logits = classifier.logits(x).toFloatArray();
            float[] expected = LinearModels.expectedLogits(X);
            for (int c = 0; c < 4; c++) {
                assertThat((double) logits[c]).as("logit %d", c).isCloseTo(expected[c], within(1e-5));
            }
            for (int label = 0; label < 4; label++) {
                float[] gradient = classifier.inputGradient(x, scope.create(new int[] {label})).toFloatArray();
                double[] closedForm = LinearModels.expectedCrossEntropyGradient(X, label);
                for (int j = 0; j < 3; j++) {
                    assertThat((double) gradient[j]).as("label %d, feature %d", label, j)
                            .isCloseTo(closedForm[j], within(1e-5));
                }
            }
        }
    }

    @Test
    void a_torchscript_file_gives_the_closed_form_logits_and_input_gradients() {
        try (DjlClassifier classifier = linear(resource("linear.pt")).build()) {
            assertThat(classifier.format()).isEqualTo(ModelFormat.TORCHSCRIPT);
            assertThat(classifier.computeTarget().engineName()).isEqualTo("PyTorch");
            assertThat(classifier.hasInputGradients()).isTrue();
            assertClosedFormLogitsAndGradient(classifier);
            assertThat(classifier.toString()).contains("TorchScript file");
        }
    }

    @Test
    void an_mxnet_symbol_export_gives_the_closed_form_logits_and_input_gradients() throws IOException {
        Path symbol = MxnetExports.linear(dir, "linear", LinearModels.W, LinearModels.B);
        try (DjlClassifier classifier = linear(symbol).build()) {
            assertThat(classifier.format()).isEqualTo(ModelFormat.MXNET_SYMBOL);
            assertThat(classifier.computeTarget().engineName()).isEqualTo("MXNet");
            assertClosedFormLogitsAndGradient(classifier);
        }
        try (DjlClassifier fromFolder = linear(dir).build()) {
            assertThat(fromFolder.format()).as("a folder with one export").isEqualTo(ModelFormat.MXNET_SYMBOL);
        }
    }

    @Test
    void an_mxnet_symbol_with_dropout_or_batch_norm_refuses_gradients_by_name() throws IOException {
        Path symbol = MxnetExports.linearWithDropout(dir, "dropout", LinearModels.W, LinearModels.B);
        try (DjlClassifier classifier = linear(symbol).build(); NDManager scope = classifier.newScope()) {
            assertThat(classifier.hasInputGradients()).isFalse();
            assertThatThrownBy(() -> classifier.inputGradient(scope.create(X, new Shape(1, 3)),
                    scope.create(new int[] {0}))).isInstanceOf(UnsupportedCapabilityException.class)
                    .hasMessageContaining("Dropout or BatchNorm").hasMessageContaining("TorchScript");
        }
    }

    /** Reads bn-dropout-reference.txt: inputs (16x6), labels (16), logits (16x3), gradient (16x6). */
    private static float[][] reference() throws IOException {
        List<String> lines = Files.readAllLines(resource("bn-dropout-reference.txt"));
        float[] values = new float[lines.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.parseFloat(lines.get(i));
        }
        int[] sizes = {16 * 6, 16, 16 * 3, 16 * 6};
        float[][] parts = new float[4][];
        int offset = 0;
        for (int p = 0; p < 4; p++) {
            parts[p] = java.util.Arrays.copyOfRange(values, offset, offset + sizes[p]);
            offset += sizes[p];
        }
        assertThat(offset).isEqualTo(values.length);
        return parts;
    }

    @Test
    void a_scripted_model_with_batch_norm_and_dropout_gets_pytorchs_eval_mode_gradients_and_stays_unchanged()
            throws IOException {
        float[][] reference = reference();
        int[] labels = new int[16];
        for (int i = 0; i < 16; i++) {
            labels[i] = Math.round(reference[1][i]);
        }
        try (DjlClassifier classifier = DjlClassifier.builder().setModelPath(resource("bn-dropout.pt"))
                .setInputShape(6).setNumClasses(3).build()) {
            String fingerprint = classifier.fingerprint();
            assertMatchesPyTorch(classifier, reference, labels);
            // every gradient check below runs the module with autograd; none may switch it to train mode
            Dataset data = Dataset.builder().setFeatures(rows(reference[0], 6)).setLabels(labels).setNumClasses(3)
                    .optBounds(ValueBounds.of(-10, 10)).build();
            assertThat(dev.gauntlet.attack.RobustnessEvaluator.evaluate(classifier, data,
                    Attacks.pgd().linf(0.5).steps(10), 1).robustAccuracy()).isBetween(0.0, 1.0);
            assertThat(dev.gauntlet.attack.RobustnessEvaluator.evaluate(classifier, data, Attacks.fgsm().linf(0.5), 1)
                    .robustAccuracy()).isBetween(0.0, 1.0);
            Explainers.integratedGradients(16).explain(classifier, data, 2);
            Explainers.smoothGrad(0.1, 8).explain(classifier, data, 3);
            assertMatchesPyTorch(classifier, reference, labels);
            assertThat(classifier.fingerprint()).isEqualTo(fingerprint);
        }
    }

    private static void assertMatchesPyTorch(Classifier classifier, float[][] reference, int[] labels) {
        try (NDManager scope = classifier.newScope()) {
            NDArray x = scope.create(reference[0], new Shape(16, 6));
            float[] logits = classifier.logits(x).toFloatArray();
            for (int i = 0; i < logits.length; i++) {
                assertThat((double) logits[i]).as("eval logit %d", i).isCloseTo(reference[2][i], within(1e-5));
            }
            for (int repeat = 0; repeat < 3; repeat++) {
                float[] gradient = classifier.inputGradient(x, scope.create(labels)).toFloatArray();
                for (int i = 0; i < gradient.length; i++) {
                    assertThat((double) gradient[i]).as("eval-mode gradient %d, pass %d", i, repeat)
                            .isCloseTo(reference[3][i], within(1e-6));
                }
            }
        }
    }

    private static float[][] rows(float[] flat, int width) {
        float[][] rows = new float[flat.length / width][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return rows;
    }

    @Test
    void a_model_with_several_outputs_must_declare_which_holds_the_scores() {
        Path file = resource("linear-two-outputs.pt");
        assertThatThrownBy(() -> linear(file).build()).isInstanceOf(ShapeMismatchException.class)
                .hasMessageContaining("returns 2 outputs").hasMessageContaining("optOutputIndex");
        assertThatThrownBy(() -> linear(file).optOutputIndex(0).build()).isInstanceOf(ShapeMismatchException.class)
                .hasMessageContaining("int64").hasMessageContaining("not scores");
        try (DjlClassifier probabilities = linear(file).optOutputIndex(1).optOutput(OutputKind.PROBABILITIES).build();
                NDManager scope = probabilities.newScope()) {
            // log-probabilities differ from the logits by a per-sample constant: softmax and gradients are equal
            float[] z = probabilities.logits(scope.create(X, new Shape(1, 3))).softmax(1).toFloatArray();
            float[] expected = LinearModels.expectedLogits(X);
            double norm = 0;
            for (float v : expected) {
                norm += Math.exp(v);
            }
            for (int c = 0; c < 4; c++) {
                assertThat((double) z[c]).isCloseTo(Math.exp(expected[c]) / norm, within(1e-6));
            }
            for (int label = 0; label < 4; label++) {
                float[] gradient = probabilities.inputGradient(scope.create(X, new Shape(1, 3)),
                        scope.create(new int[] {label})).toFloatArray();
                double[] closedForm = LinearModels.expectedCrossEntropyGradient(X, label);
                for (int j = 0; j < 3; j++) {
                    assertThat((double) gradient[j]).isCloseTo(closedForm[j], within(1e-5));
                }
            }
        }
    }

    @Test
    void declared_preprocessing_is_applied_inside_the_classifier_and_differentiated() {
        double[] mean = {0.5};
        double[] std = {2.0};
        try (Model model = LinearModels.linearWithDropout(); DjlClassifier classifier = DjlClassifier.builder()
                .setModel(model).setInputShape(3).setNumClasses(4)
                .optPreprocessing(Preprocessing.normalize(mean, std).withScale(4)).build();
                NDManager scope = classifier.newScope()) {
            float[] normalised = new float[3];
            for (int j = 0; j < 3; j++) {
                normalised[j] = (float) ((X[j] * 4 - mean[0]) / std[0]);
            }
            float[] logits = classifier.logits(scope.create(X, new Shape(1, 3))).toFloatArray();
            float[] expected = LinearModels.expectedLogits(normalised);
            for (int c = 0; c < 4; c++) {
                assertThat((double) logits[c]).isCloseTo(expected[c], within(1e-5));
            }
            float[] gradient = classifier.inputGradient(scope.create(X, new Shape(1, 3)), scope.create(new int[] {2}))
                    .toFloatArray();
            double[] chain = LinearModels.expectedCrossEntropyGradient(normalised, 2);
            for (int j = 0; j < 3; j++) {
                assertThat((double) gradient[j]).as("chain rule: d/dx = 4/2 * d/dz").isCloseTo(chain[j] * 2,
                        within(1e-5));
            }
            assertThat(classifier.capability(LayerView.class)).as("layers would bypass the preprocessing").isEmpty();
            assertThat(classifier.missingCapabilityReason(LayerView.class)).contains("bypass");
        }
        assertThatThrownBy(() -> Preprocessing.normalize(new double[] {0}, new double[] {0}))
                .hasMessageContaining("std");
        assertThatThrownBy(() -> DjlClassifier.builder().setModelPath(resource("linear.pt")).setInputShape(3)
                .setNumClasses(4).optPreprocessing(Preprocessing.normalize(new double[] {0, 0}, new double[] {1, 1}))
                .build()).hasMessageContaining("2 channel values");
    }

    @Test
    void the_named_file_is_the_one_loaded_whatever_its_extension_case_or_neighbours() throws IOException {
        Path pth = Files.copy(resource("linear.pt"), dir.resolve("model.pth"));
        Path upper = Files.copy(resource("linear.pt"), dir.resolve("Model.PT"));
        // neighbours DJL would pick up if it were given the folder and a name: another model under the same name
        Files.copy(resource("linear-two-outputs.pt"), dir.resolve("model.pt"));
        Files.copy(resource("linear-two-outputs.pt"), dir.resolve("model"));
        for (Path file : List.of(pth, upper)) {
            try (DjlClassifier classifier = linear(file).build()) {
                assertClosedFormLogitsAndGradient(classifier);
            }
        }
    }

    @Test
    void a_model_path_that_cannot_be_loaded_is_named_with_the_fix() throws IOException {
        assertThatThrownBy(() -> linear(dir.resolve("missing.pt")).build()).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("missing.pt").hasMessageContaining("does not exist");
        Files.copy(resource("linear.pt"), dir.resolve("a.pt"));
        OnnxModels.linear(dir.resolve("a.onnx"), LinearModels.W, LinearModels.B);
        assertThatThrownBy(() -> linear(dir).build()).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("2 model files").hasMessageContaining("[a.onnx, a.pt]");
        try (DjlClassifier picked = linear(dir).optEngine("PyTorch").build()) {
            assertThat(picked.format()).isEqualTo(ModelFormat.TORCHSCRIPT);
        }
        assertThatThrownBy(() -> linear(dir.resolve("a.pt")).optEngine("OnnxRuntime").build())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("only the PyTorch engine runs");
        Files.write(dir.resolve("empty.onnx"), new byte[0]);
        assertThatThrownBy(() -> linear(dir.resolve("empty.onnx")).build()).hasMessageContaining("is empty");
        Files.write(dir.resolve("model-0000.params"), new byte[] {1});
        assertThatThrownBy(() -> linear(dir.resolve("model-0000.params")).build())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("cannot tell the format")
                .hasMessageContaining("setArchitecture");
        Files.createDirectories(dir.resolve("folder.pt"));
        assertThatThrownBy(() -> linear(dir.resolve("folder.pt")).build()).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("not a regular file but a folder");
        Files.createSymbolicLink(dir.resolve("link.pt"), resource("linear.pt"));
        assertThatThrownBy(() -> linear(dir.resolve("link.pt")).build()).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("symbolic link");
        Files.write(dir.resolve("broken.pt"), new byte[] {'P', 'K', 3, 4, 0, 0});
        assertThatThrownBy(() -> linear(dir.resolve("broken.pt")).build()).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("broken.pt");
        assertThatThrownBy(() -> DjlClassifier.builder().setModelPath(resource("linear.pt")).setInputShape(5)
                .setNumClasses(4).build()).isInstanceOf(ShapeMismatchException.class);
    }

    @Test
    void the_engines_differentiate_a_convolution_as_the_closed_form_says() {
        // PyTorch's CPU natives fail this on some processors unless ONEDNN_MAX_CPU_ISA=AVX (set by the build)
        for (String engine : List.of("MXNet", "PyTorch")) {
            assertThat(dev.gauntlet.model.internal.EngineSelfCheck.convolutionGradientError(
                    ai.djl.engine.Engine.getEngine(engine), ai.djl.Device.cpu())).as(engine).isLessThan(1e-5);
        }
    }
}

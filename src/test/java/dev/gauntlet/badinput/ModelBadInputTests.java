package dev.gauntlet.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.ComputeTarget;
import dev.gauntlet.model.ComputeUnavailableException;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.LinearModels;
import dev.gauntlet.model.ModelLoadException;
import dev.gauntlet.model.NonFiniteOutputException;
import dev.gauntlet.model.ShapeMismatchException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Bad models, parameters and inputs: typed exceptions, no native crash, inputs unchanged. */
class ModelBadInputTests {

    @TempDir
    Path dir;

    private static final Supplier<Block> LINEAR = () -> Linear.builder().setUnits(4).build();

    /** Saves the softmax-linear model's parameters and returns the folder. */
    private Path saved() throws IOException {
        try (Model model = LinearModels.softmaxLinear()) {
            model.save(dir, "linear");
        }
        return dir;
    }

    @Test
    void truncated_parameters_file() throws IOException {
        Path folder = saved();
        Path params = folder.resolve("linear-0000.params");
        byte[] bytes = Files.readAllBytes(params);
        Files.write(params, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> DjlClassifier.builder().setArchitecture(LINEAR).setInputShape(3).setNumClasses(4)
                .optParameters(folder, "linear").build()).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("linear");
    }

    @Test
    void parameters_of_another_architecture() throws IOException {
        Path folder = saved();
        assertThatThrownBy(() -> DjlClassifier.builder().setArchitecture(() -> Linear.builder().setUnits(7).build())
                .setInputShape(3).setNumClasses(7).optParameters(folder, "linear").build())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("shape");
    }

    @Test
    void missing_parameters_folder() {
        assertThatThrownBy(() -> DjlClassifier.builder().setArchitecture(LINEAR).setInputShape(3).setNumClasses(4)
                .optParameters(dir.resolve("nowhere"), "linear").build()).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void declared_class_count_differs_from_the_model() {
        try (Model model = LinearModels.softmaxLinear()) {
            assertThatThrownBy(() -> DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(3).build())
                    .isInstanceOf(ShapeMismatchException.class).hasMessageContaining("numClasses");
        }
    }

    @Test
    void inputs_of_the_wrong_rank_or_shape() {
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model);
                NDManager scope = classifier.newScope()) {
            assertThatThrownBy(() -> classifier.logits(scope.zeros(new Shape(3)))).isInstanceOf(
                    ShapeMismatchException.class).hasMessageContaining("reshape");
            assertThatThrownBy(() -> classifier.logits(scope.zeros(new Shape(2, 5))))
                    .isInstanceOf(ShapeMismatchException.class).hasMessageContaining("(n, 3)");
            assertThatThrownBy(() -> classifier.logits(scope.zeros(new Shape(2, 3), DataType.FLOAT64)))
                    .isInstanceOf(ShapeMismatchException.class).hasMessageContaining("float32");
        }
    }

    @Test
    void dataset_with_another_class_count() {
        Dataset binary = Dataset.builder().setFeatures(new float[][] {{0, 0, 0}}).setLabels(new int[] {0})
                .setNumClasses(2).optBounds(ValueBounds.unbounded()).build();
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            assertThatThrownBy(() -> classifier.accuracy(binary)).isInstanceOf(ShapeMismatchException.class)
                    .hasMessageContaining("classes");
        }
    }

    @Test
    void labels_out_of_range_for_a_gradient() {
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model);
                NDManager scope = classifier.newScope()) {
            NDArray x = scope.zeros(new Shape(2, 3));
            assertThatThrownBy(() -> classifier.inputGradient(x, scope.create(new int[] {0, 9})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label");
        }
    }

    @Test
    void nan_logits_are_an_error_not_a_wrong_number() {
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model);
                NDManager scope = classifier.newScope()) {
            NDArray x = scope.create(new float[] {0, Float.NaN, 1}, new Shape(1, 3));
            float[] before = x.toFloatArray();
            assertThatThrownBy(() -> classifier.logits(x)).isInstanceOf(NonFiniteOutputException.class)
                    .hasMessageContaining("NaN");
            assertThat(x.toFloatArray()).as("input unchanged").isEqualTo(before);
        }
    }

    @Test
    void non_positive_batch_size_and_too_few_classes() {
        try (Model model = LinearModels.softmaxLinear()) {
            assertThatThrownBy(() -> DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(4)
                    .optBatchSize(0).build()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("optBatchSize");
            assertThatThrownBy(() -> DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(1).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numClasses");
        }
    }

    @Test
    void an_engine_that_is_not_on_the_classpath() {
        assertThatThrownBy(() -> ComputeTarget.resolve("TensorFlow", "cpu"))
                .isInstanceOf(ComputeUnavailableException.class).hasMessageContaining("TensorFlow");
    }

    @Test
    void a_gpu_that_is_not_there_is_not_silently_replaced_by_the_cpu() {
        assertThatThrownBy(() -> ComputeTarget.resolve("MXNet", "gpu:3"))
                .isInstanceOf(ComputeUnavailableException.class).hasMessageContaining("gpu");
    }
}

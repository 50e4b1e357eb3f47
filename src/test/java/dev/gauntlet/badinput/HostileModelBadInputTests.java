package dev.gauntlet.badinput;

import static dev.gauntlet.assertj.GauntletAssertions.assertThatModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

import dev.gauntlet.attack.Attacks;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.LinearModels;
import dev.gauntlet.model.ModelLoadException;
import dev.gauntlet.model.NonFiniteGradientException;
import dev.gauntlet.model.NonFiniteOutputException;
import dev.gauntlet.model.NonFiniteParameterException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Hostile models: NaN and huge weights, NaN outputs and gradients, crafted and broken parameter
 * files, absurd batch sizes. Each fails with a typed error naming the parameter, layer or field,
 * and leaves the files it read unchanged.
 */
class HostileModelBadInputTests {

    @TempDir
    Path dir;

    /** 3 inputs → Linear(8) → ReLU → Linear(4): the ReLU is what hides a NaN weight from the logits. */
    private static final Supplier<Block> MLP = () -> new SequentialBlock()
            .add(Linear.builder().setUnits(8).build())
            .add(Activation.reluBlock())
            .add(Linear.builder().setUnits(4).build());

    private static Model mlp() {
        Model model = Model.newInstance("mlp");
        Block block = MLP.get();
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
        return model;
    }

    private static void setFirstWeight(Model model, float value, int count) {
        NDArray weight = model.getBlock().getParameters().get("01Linear_weight").getArray();
        float[] values = weight.toFloatArray();
        Arrays.fill(values, 0, count, value);
        weight.set(values);
    }

    private static DjlClassifier wrap(Model model) {
        return DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(4).build();
    }

    private static Dataset cube() {
        return LinearModels.cube(40, 7, 0);
    }

    /** The byte offset of the first array record's 4-byte data length in a DJL parameter file. */
    private static int lengthOffset(byte[] file) throws IOException {
        return offsets(file)[1];
    }

    /** The byte offsets of the first array record's first dimension and of its data length. */
    private static int[] offsets(byte[] file) throws IOException {
        for (int i = 0; i + 6 < file.length; i++) {
            if (file[i] == 0 && file[i + 1] == 4 && file[i + 2] == 'N' && file[i + 3] == 'D' && file[i + 4] == 'A'
                    && file[i + 5] == 'R') {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(file, i, file.length - i));
                in.readUTF();
                int version = in.readInt();
                if (version > 1 && in.readByte() == 1) {
                    in.readUTF();
                }
                in.readUTF();
                in.readUTF();
                int rank = in.readInt();
                int dims = file.length - in.available();
                in.skipBytes(rank * 8);
                in.skipBytes(in.readInt() * 2);
                if (version > 2) {
                    in.readByte();
                }
                return new int[] {dims, file.length - in.available()};
            }
        }
        throw new AssertionError("no array record");
    }

    /** Saves the softmax-linear model as {@code linear-0000.params} and returns that file. */
    private Path savedLinear() throws IOException {
        try (Model model = LinearModels.softmaxLinear()) {
            model.save(dir, "linear");
        }
        return dir.resolve("linear-0000.params");
    }

    private DjlClassifier loadLinear() {
        return DjlClassifier.builder().setArchitecture(() -> Linear.builder().setUnits(4).build()).setInputShape(3)
                .setNumClasses(4).optParameters(dir, "linear").build();
    }

    @Test
    void nan_first_layer_weight_is_refused_when_the_model_is_wrapped() {
        try (Model model = mlp()) {
            setFirstWeight(model, Float.NaN, 1);
            assertThatThrownBy(() -> wrap(model)).isInstanceOf(NonFiniteParameterException.class)
                    .hasMessageContaining("01Linear_weight").hasMessageContaining("1 NaN and 0 infinite of 24 values");
        }
    }

    @Test
    void nan_first_layer_weight_is_refused_when_saved_parameters_are_loaded() throws IOException {
        try (Model model = mlp()) {
            setFirstWeight(model, Float.NaN, 2);
            model.save(dir, "mlp");
        }
        Path file = dir.resolve("mlp-0000.params");
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> DjlClassifier.builder().setArchitecture(MLP).setInputShape(3).setNumClasses(4)
                .optParameters(dir, "mlp").build()).isInstanceOf(NonFiniteParameterException.class)
                .hasMessageContaining("01Linear_weight").hasMessageContaining("2 NaN");
        assertThat(Files.readAllBytes(file)).as("file unchanged").isEqualTo(before);
    }

    @Test
    void nan_weight_after_build_fails_accuracy_fgsm_pgd_and_square() {
        Dataset data = cube();
        try (Model model = mlp(); DjlClassifier classifier = wrap(model)) {
            setFirstWeight(model, Float.NaN, 1); // the user's model diverged after the classifier was built
            assertThatThrownBy(() -> assertThatModel(classifier).on(data).hasAccuracyAtLeast(0))
                    .isInstanceOf(NonFiniteParameterException.class).hasMessageContaining("01Linear_weight");
            for (var attack : java.util.List.of(Attacks.fgsm().linf(0.1), Attacks.pgd().linf(0.1), Attacks.square()
                    .linf(0.1))) {
                assertThatThrownBy(() -> assertThatModel(classifier).on(data).underAttack(attack)
                        .hasRobustAccuracyAtLeast(0)).as(attack.name())
                        .isInstanceOf(NonFiniteParameterException.class).hasMessageContaining("01Linear_weight");
            }
            assertThatThrownBy(() -> classifier.probabilities(data)).isInstanceOf(NonFiniteParameterException.class);
        }
    }

    @Test
    void nan_gradient_stops_fgsm_and_pgd_instead_of_a_zero_step() {
        Dataset data = cube();
        try (Model model = mlp(); DjlClassifier classifier = wrap(model); NDManager scope = classifier.newScope()) {
            setFirstWeight(model, Float.NaN, 1);
            NDArray x = data.batches(8).get(0).features(scope);
            NDArray y = data.batches(8).get(0).labels(scope);
            float[] before = x.toFloatArray();
            // MXNet's ReLU hides the NaN from the logits (max(NaN, 0) = 0), so only the gradient shows it; PyTorch's
            // ReLU passes NaN on, and the logits stop the pass first. Either way a typed error names the parameter.
            assertThatThrownBy(() -> classifier.inputGradient(x, y))
                    .isInstanceOfAny(NonFiniteGradientException.class, NonFiniteOutputException.class)
                    .hasMessageContaining("01Linear_weight")
                    .satisfies(e -> assertThat(e.getMessage()).contains(e instanceof NonFiniteGradientException
                            ? "sign(NaN)" : "logits"));
            for (var attack : java.util.List.of(Attacks.fgsm().linf(0.1), Attacks.pgd().linf(0.1))) {
                assertThatThrownBy(() -> attack.generate(classifier, x, y, ValueBounds.unit(), 1))
                        .as(attack.name()).isInstanceOfAny(NonFiniteGradientException.class,
                                NonFiniteOutputException.class)
                        .hasMessageContaining("01Linear_weight");
            }
            assertThat(x.toFloatArray()).as("inputs unchanged").isEqualTo(before);
        }
    }

    @Test
    void huge_finite_weight_overflows_to_inf_and_the_layer_is_named() {
        Dataset data = cube();
        try (Model model = mlp()) {
            setFirstWeight(model, 3e38f, 24); // finite, so the build passes; x·W overflows for x ≥ 0.4
            try (DjlClassifier classifier = wrap(model)) {
                assertThatThrownBy(() -> classifier.accuracy(data)).isInstanceOf(NonFiniteOutputException.class)
                        .hasMessageContaining("layer 1 of 3 ('01Linear'").hasMessageContaining("3.0E38");
                assertThatThrownBy(() -> classifier.predict(data)).isInstanceOf(NonFiniteOutputException.class);
                for (var attack : java.util.List.of(Attacks.fgsm().linf(0.1), Attacks.square().linf(0.1))) {
                    assertThatThrownBy(() -> assertThatModel(classifier).on(data).underAttack(attack)
                            .hasRobustAccuracyAtLeast(0)).as(attack.name())
                            .isInstanceOf(NonFiniteOutputException.class).hasMessageContaining("01Linear");
                }
            }
        }
    }

    @Test
    void nan_output_on_some_inputs_names_the_layer() {
        Model model = Model.newInstance("sqrt-linear");
        Block block = new SequentialBlock().add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().sqrt())))
                .add(Linear.builder().setUnits(4).build());
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
        Dataset data = Dataset.builder().setFeatures(new float[][] {{0.1f, 0.2f, 0.3f}, {0.5f, -1f, 0.5f}})
                .setLabels(new int[] {0, 1}).setNumClasses(4).optBounds(ValueBounds.unbounded()).build();
        try (model; DjlClassifier classifier = wrap(model)) {
            assertThatThrownBy(() -> classifier.predict(data)).isInstanceOf(NonFiniteOutputException.class)
                    .hasMessageContaining("1 NaN").hasMessageContaining("layer 1 of 2 ('01LambdaBlock'");
            assertThatThrownBy(() -> assertThatModel(classifier).on(data).underAttack(Attacks.square().linf(0.1))
                    .hasRobustAccuracyAtLeast(0)).isInstanceOf(NonFiniteOutputException.class);
        }
    }

    @Test
    void batch_size_max_value_is_refused_with_the_range() {
        try (Model model = LinearModels.softmaxLinear()) {
            assertThatThrownBy(() -> DjlClassifier.builder().setModel(model).optBatchSize(Integer.MAX_VALUE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("optBatchSize")
                    .hasMessageContaining("[1, 65536]").hasMessageContaining(String.valueOf(Integer.MAX_VALUE));
        }
    }

    @Test
    void batch_size_zero_or_negative_is_refused() {
        for (int size : new int[] {0, -1, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> DjlClassifier.builder().optBatchSize(size))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("optBatchSize")
                    .hasMessageContaining("got " + size);
        }
    }

    @Test
    void batch_times_sample_size_beyond_a_java_array_is_refused() {
        try (Model model = LinearModels.softmaxLinear()) {
            assertThatThrownBy(() -> DjlClassifier.builder().setModel(model).setInputShape(3, 224, 224)
                    .setNumClasses(4).optBatchSize(65536).build()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("optBatchSize 65536").hasMessageContaining("[1, 14266]");
        }
    }

    @Test
    void crafted_length_field_is_refused_before_allocation() throws IOException {
        Path file = savedLinear();
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(lengthOffset(bytes), Integer.MAX_VALUE - 15);
        Files.write(file, bytes);
        assertThatThrownBy(this::loadLinear).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(file.getFileName().toString()).hasMessageContaining("parameter weight")
                .hasMessageContaining("declares 2147483632 bytes").hasMessageContaining("bytes remain");
        assertThat(Files.readAllBytes(file)).as("file unchanged").isEqualTo(bytes);
    }

    @Test
    void crafted_shape_field_is_refused_before_allocation() throws IOException {
        Path file = savedLinear();
        byte[] bytes = Files.readAllBytes(file);
        int firstDimension = offsets(bytes)[0];
        assertThat(ByteBuffer.wrap(bytes).getLong(firstDimension)).isEqualTo(4);
        ByteBuffer.wrap(bytes).putLong(firstDimension, 1L << 40);
        Files.write(file, bytes);
        assertThatThrownBy(this::loadLinear).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("parameter weight").hasMessageContaining("(1099511627776, 3)");
        assertThat(Files.readAllBytes(file)).as("file unchanged").isEqualTo(bytes);
    }

    @Test
    void truncated_parameters_file_names_the_missing_bytes() throws IOException {
        Path file = savedLinear();
        byte[] bytes = Arrays.copyOf(Files.readAllBytes(file), lengthOffset(Files.readAllBytes(file)) + 20);
        Files.write(file, bytes);
        assertThatThrownBy(this::loadLinear).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("parameter weight").hasMessageContaining("declares 48 bytes")
                .hasMessageContaining("only 16 bytes remain");
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    }

    @Test
    void parameters_of_another_model_name_the_parameter_and_both_shapes() throws IOException {
        Path file = savedLinear();
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> DjlClassifier.builder().setArchitecture(() -> Linear.builder().setUnits(7).build())
                .setInputShape(3).setNumClasses(7).optParameters(dir, "linear").build())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("parameter weight with shape (4, 3)")
                .hasMessageContaining("expects (7, 3)");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void empty_parameters_file() throws IOException {
        Path file = dir.resolve("linear-0000.params");
        Files.write(file, new byte[0]);
        assertThatThrownBy(this::loadLinear).isInstanceOf(ModelLoadException.class).hasMessageContaining("linear");
        assertThat(Files.readAllBytes(file)).isEmpty();
    }

    @Test
    void parameter_bomb_stays_under_64_mb_in_a_small_heap() throws IOException, InterruptedException {
        Path file = savedLinear();
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(lengthOffset(bytes), Integer.MAX_VALUE - 15);
        Files.write(file, bytes);
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path")));
        for (String property : new String[] {"ai.djl.offline", "ai.djl.default_engine", "gauntlet.engine"}) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.addAll(java.util.List.of(ParameterBombLoader.class.getName(), dir.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        System.out.println("parameter bomb child: " + output.strip());
        assertThat(process.exitValue()).as(output).isEqualTo(3);
        long peak = Long.parseLong(output.replaceAll("(?s).*peak-above-baseline-bytes: (-?\\d+).*", "$1"));
        long direct = Long.parseLong(output.replaceAll("(?s).*direct-bytes: (\\d+).*", "$1"));
        assertThat(peak + direct).as(output).isLessThan(64L << 20);
        assertThat(output).contains("declares 2147483632 bytes");
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    }
}

package dev.gauntlet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.gauntlet.model.LinearModels;
import dev.gauntlet.model.OnnxModels;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * {@code model: {file: ...}} in a gate spec: a TorchScript file runs every check, an ONNX file skips the
 * gradient checks with the model's reason, and hostile or broken specs exit 2 naming the line and field.
 * The models are z = W x + b ({@link LinearModels}), so the gate's numbers are checked against closed forms.
 */
class GateModelFileTests {

    private static final int SAMPLES = 60;
    private static final double EPSILON = 0.1;

    @TempDir
    static Path root;

    /** The spec's folder, with the models and the data; {@code root} holds files outside it. */
    private static Path folder;
    private static float[][] rows;
    private static int[] labels;

    @BeforeAll
    static void modelsAndData() throws IOException {
        folder = Files.createDirectories(root.resolve("gate"));
        Path models = Files.createDirectories(folder.resolve("models"));
        try (InputStream linear = GateModelFileTests.class.getResourceAsStream("/models/linear.pt")) {
            Files.copy(linear, models.resolve("linear.pt"));
        }
        OnnxModels.linear(models.resolve("linear.onnx"), LinearModels.W, LinearModels.B);
        Files.writeString(models.resolve("linear.bin"), "not a model");
        Files.copy(models.resolve("linear.pt"), root.resolve("outside.pt"));
        Files.createSymbolicLink(models.resolve("link.pt"), root.resolve("outside.pt"));

        SplittableRandom random = new SplittableRandom(11);
        rows = new float[SAMPLES][3];
        labels = new int[SAMPLES];
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < SAMPLES; i++) {
            for (int j = 0; j < 3; j++) {
                rows[i][j] = (float) random.nextDouble();
            }
            labels[i] = argMax(LinearModels.expectedLogits(rows[i])); // every clean prediction right
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d%n", rows[i][0], rows[i][1], rows[i][2], labels[i]));
        }
        Files.writeString(folder.resolve("data.csv"), csv.toString());
    }

    private static int argMax(float[] z) {
        int best = 0;
        for (int c = 1; c < z.length; c++) {
            best = z[c] > z[best] ? c : best;
        }
        return best;
    }

    /** FGSM on z = W x + b in closed form: the cross-entropy's input gradient is Wᵀ(softmax(z) − onehot(y)). */
    private static double fgsmRobustAccuracy(double epsilon) {
        int robust = 0;
        for (int i = 0; i < SAMPLES; i++) {
            double[] gradient = LinearModels.expectedCrossEntropyGradient(rows[i], labels[i]);
            float[] attacked = new float[3];
            for (int j = 0; j < 3; j++) {
                attacked[j] = (float) Math.min(1, Math.max(0, rows[i][j] + epsilon * Math.signum(gradient[j])));
            }
            robust += argMax(LinearModels.expectedLogits(attacked)) == labels[i] ? 1 : 0;
        }
        return robust / (double) SAMPLES;
    }

    /**
     * The exact robust accuracy of z = W x + b in the L∞ ball without the [0, 1] box (which only makes an
     * attack weaker): x is robust iff (w_y − w_c)·x + b_y − b_c > ε‖w_y − w_c‖₁ for every other class c. A
     * lower bound on what any attack can leave.
     */
    private static double certifiedRobustAccuracy(double epsilon) {
        int robust = 0;
        for (int i = 0; i < SAMPLES; i++) {
            float[] z = LinearModels.expectedLogits(rows[i]);
            boolean safe = true;
            for (int c = 0; c < 4; c++) {
                if (c != labels[i]) {
                    double norm = 0;
                    for (int j = 0; j < 3; j++) {
                        norm += Math.abs(LinearModels.W[labels[i]][j] - LinearModels.W[c][j]);
                    }
                    safe &= z[labels[i]] - z[c] > epsilon * norm;
                }
            }
            robust += safe ? 1 : 0;
        }
        return robust / (double) SAMPLES;
    }

    /** The model part is lines 1-5 (line 5: {@code extra}), so errors land on known lines. */
    private static Path spec(String name, String file, String extra, String checks) throws IOException {
        return Files.writeString(folder.resolve(name), String.format(Locale.ROOT, """
                model:
                  file: %s
                  inputShape: [3]
                  classes: 4
                  %s
                data:
                  test:
                    format: csv
                    path: data.csv
                    classes: 4
                    bounds: [0, 1]
                checks:
                %s""", file, extra, checks));
    }

    private static final String ACCURACY = """
              - check: accuracy
                atLeast: 0.99
            """;

    private record Run(int status, String out, String err) {}

    private static Run gate(Path spec, Path out) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status = GauntletCli.run(new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), "gate", spec.toString(), "--out", out.toString(),
                "--html");
        return new Run(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    /** The one run folder a single gate run leaves under {@code out/runs}. */
    static Path onlyRun(Path out) throws IOException {
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            return runs.reduce((a, b) -> {
                throw new AssertionError("more than one run in " + out);
            }).orElseThrow();
        }
    }

    private static JsonObject summary(Path out) throws IOException {
        return JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
    }

    @Test
    void a_torchscript_file_runs_the_gate_and_its_numbers_match_the_closed_form() throws IOException {
        Path spec = spec("torchscript.yaml", "models/linear.pt", "engine: PyTorch", ACCURACY + """
                  - check: robustness
                    attack: fgsm
                    epsilon: 0.1
                    atLeast: 0.05
                """);
        Path out = root.resolve("out-torchscript");
        Run run = gate(spec, out);

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("TorchScript file").contains("PASS  accuracy")
                .contains("2 passed, 0 failed, 0 skipped");
        JsonObject summary = summary(out);
        assertThat(summary.get("passed").getAsBoolean()).isTrue();
        JsonArray checks = summary.getAsJsonArray("checks");
        assertThat(checks).hasSize(2);
        assertThat(checks.get(0).getAsJsonObject().get("status").getAsString()).isEqualTo("passed");
        assertThat(checks.get(0).getAsJsonObject().get("value").getAsDouble()).isEqualTo(1.0);
        double expected = fgsmRobustAccuracy(EPSILON);
        assertThat(expected).as("the closed form leaves something to measure").isBetween(0.1, 0.95);
        assertThat(checks.get(1).getAsJsonObject().get("value").getAsDouble()).isCloseTo(expected, within(1e-9));
    }

    @Test
    void an_onnx_file_skips_the_gradient_checks_with_the_reason_and_passes() throws IOException {
        Path spec = spec("onnx.yaml", "models/linear.onnx", "output: logits", ACCURACY + """
                  - check: robustness
                    attack: fgsm
                    epsilon: 0.1
                    atLeast: 0.05
                  - check: sanity
                    attack: pgd
                    epsilon: 0.1
                  - check: robustness
                    attack: square
                    epsilon: 0.1
                    atLeast: 0.05
                """);
        Path out = root.resolve("out-onnx");
        Run run = gate(spec, out);

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("PASS  accuracy").contains("SKIP  robust accuracy under fgsm")
                .contains("runs inference only").contains("2 passed, 0 failed, 2 skipped");
        JsonObject summary = summary(out);
        assertThat(summary.get("passed").getAsBoolean()).isTrue();
        assertThat(summary.getAsJsonObject("counts").get("skipped").getAsInt()).isEqualTo(2);
        JsonObject fgsm = summary.getAsJsonArray("checks").get(1).getAsJsonObject();
        assertThat(fgsm.get("status").getAsString()).isEqualTo("skipped");
        assertThat(fgsm.get("passed").getAsBoolean()).isFalse();
        assertThat(fgsm.get("message").getAsString()).startsWith("needs input gradients: OnnxRuntime runs inference"
                + " only");
        assertThat(summary.getAsJsonArray("checks").get(0).getAsJsonObject().get("value").getAsDouble()).isEqualTo(1.0);
        JsonObject square = summary.getAsJsonArray("checks").get(3).getAsJsonObject();
        assertThat(square.get("status").getAsString()).as("a gradient-free attack runs").isEqualTo("passed");
        assertThat(square.get("value").getAsDouble()).as("no attack beats the certified robust accuracy")
                .isGreaterThanOrEqualTo(certifiedRobustAccuracy(EPSILON) - 1e-9).isLessThanOrEqualTo(1.0);
        try (Stream<Path> files = Files.list(onlyRun(out).resolve("allure-results"))) {
            assertThat(files.filter(f -> f.toString().endsWith("-result.json")).map(GateModelFileTests::read)
                    .filter(json -> json.replace(" ", "").contains("\"status\":\"skipped\""))
                    .count()).isEqualTo(2);
        }
        assertThat(Files.readString(out.resolve("report.html"))).contains("2 passed, 0 failed, 2 skipped")
                .contains(">SKIP<");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Exits 2 before any check runs, names the line and field, and shows no stack trace. */
    private static void assertRefused(Path spec, String... fragments) {
        Path out = root.resolve("out-" + spec.getFileName());
        Run run = gate(spec, out);
        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err()).contains(fragments).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(run.out()).doesNotContain("PASS").doesNotContain("FAIL");
    }

    @Test
    void a_model_path_outside_the_spec_folder_is_refused() throws IOException {
        assertRefused(spec("escape.yaml", "../outside.pt", "", ACCURACY), "line 2, field 'model.file'",
                "leaves the spec's folder");
        assertRefused(spec("escape-inside.yaml", "models/../../outside.pt", "", ACCURACY),
                "line 2, field 'model.file'", "leaves the spec's folder");
        assertRefused(spec("absolute.yaml", "/etc/passwd", "", ACCURACY), "line 2, field 'model.file'",
                "not the absolute path '/etc/passwd'");
        assertRefused(spec("link.yaml", "models/link.pt", "", ACCURACY), "line 2, field 'model.file'",
                "symbolic link", "outside the spec's folder");
    }

    /** Counts how often {@link NotASupplier}'s static block or constructor ran; the gate must never run them. */
    static final java.util.concurrent.atomic.AtomicInteger SIDE_EFFECTS = new java.util.concurrent.atomic.AtomicInteger();

    /** A class a hostile spec might name as its architecture. */
    public static final class NotASupplier {
        static {
            SIDE_EFFECTS.incrementAndGet();
        }

        /** Would run if the gate instantiated the class before checking its type. */
        public NotASupplier() {
            SIDE_EFFECTS.incrementAndGet();
        }
    }

    @Test
    void an_architecture_class_is_type_checked_before_any_of_its_code_runs() throws IOException {
        Files.createDirectories(folder.resolve("params"));
        Path spec = Files.writeString(folder.resolve("class.yaml"), """
                model:
                  architecture: dev.gauntlet.cli.GateModelFileTests$NotASupplier
                  parameters: params
                  inputShape: [3]
                  classes: 4
                data:
                  test: {format: csv, path: data.csv, classes: 4, bounds: [0, 1]}
                checks:
                """ + ACCURACY);
        assertRefused(spec, "line 2, field 'model.architecture'", "is not a java.util.function.Supplier");
        assertThat(SIDE_EFFECTS.get()).as("static block and constructor runs").isZero();
    }

    @Test
    void duplicate_and_unknown_keys_are_refused() throws IOException {
        assertRefused(spec("duplicate.yaml", "models/linear.pt", "classes: 5", ACCURACY),
                "line 5, field 'model.classes'", "given twice");
        assertRefused(spec("unknown.yaml", "models/linear.pt", "outputs: logits", ACCURACY),
                "line 5, field 'model.outputs'", "unknown field");
        assertRefused(spec("two-ways.yaml", "models/linear.pt", "reference: digits-mlp", ACCURACY),
                "field 'model'", "exactly one of reference");
        assertRefused(spec("output.yaml", "models/linear.pt", "output: softmax", ACCURACY),
                "line 5, field 'model.output'", "use logits, probabilities or log-probabilities");
        assertRefused(spec("engine.yaml", "models/linear.pt", "engine: TensorFlow", ACCURACY),
                "line 5, field 'model.engine'", "unknown engine 'TensorFlow'");
        assertRefused(spec("duplicate-check.yaml", "models/linear.pt", "", """
                  - check: accuracy
                    atLeast: 0.9
                    atLeast: 0.1
                """), "line 15, field 'checks[0].atLeast'", "given twice");
    }

    @Test
    void a_standard_deviation_that_is_not_finite_and_positive_is_refused() throws IOException {
        assertRefused(spec("std-zero.yaml", "models/linear.pt", "preprocessing: {mean: [0.5], std: [0]}", ACCURACY),
                "line 5, field 'model.preprocessing.std[0]'", "must be positive");
        assertRefused(spec("std-negative.yaml", "models/linear.pt", "preprocessing: {std: [-1]}", ACCURACY),
                "line 5, field 'model.preprocessing.std[0]'", "must be positive");
        assertRefused(spec("std-nan.yaml", "models/linear.pt", "preprocessing: {mean: [0], std: [NaN]}", ACCURACY),
                "line 5, field 'model.preprocessing.std[0]'", "must be a finite number");
        assertRefused(spec("std-yaml-nan.yaml", "models/linear.pt", "preprocessing: {mean: [0], std: [.nan]}",
                ACCURACY), "line 5, field 'model.preprocessing.std[0]'", "must be a number");
        assertRefused(spec("std-inf.yaml", "models/linear.pt", "preprocessing: {mean: [0], std: [Infinity]}",
                ACCURACY), "line 5, field 'model.preprocessing.std[0]'", "must be a finite number");
        assertRefused(spec("channels.yaml", "models/linear.pt", "preprocessing: {mean: [0, 0], std: [1]}", ACCURACY),
                "line 5, field 'model.preprocessing.std'", "1 standard deviations but 2 means");
        assertRefused(spec("scale.yaml", "models/linear.pt", "preprocessing: {scale: 0}", ACCURACY),
                "line 5, field 'model.preprocessing.scale'", "must be positive");
    }

    @Test
    void a_model_that_does_not_load_exits_2_with_the_library_message() throws IOException {
        assertRefused(spec("missing.yaml", "models/missing.pt", "", ACCURACY), "line 2, field 'model.file'",
                "does not exist");
        assertRefused(spec("format.yaml", "models/linear.bin", "", ACCURACY), "line 2, field 'model.file'",
                "cannot tell the format of model file");
        assertRefused(spec("wrong-engine.yaml", "models/linear.pt", "engine: OnnxRuntime", ACCURACY),
                "line 2, field 'model.file'", "only the PyTorch engine runs");
        Path classes = Files.writeString(folder.resolve("classes.yaml"), Files.readString(spec("classes.yaml",
                "models/linear.pt", "", ACCURACY)).replace("classes: 4\n  \n", "classes: 5\n  \n"));
        assertRefused(classes, "line 2, field 'model'", "model 'linear'");
    }
}

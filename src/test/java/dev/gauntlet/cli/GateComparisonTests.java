package dev.gauntlet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.gauntlet.model.LinearModels;
import dev.gauntlet.model.OnnxModels;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code baseline:} and the release-gate checks in a spec: candidate vs baseline on paired predictions,
 * every class's accuracy, and certified bounds (skipped with the reason on a model without a layer view).
 * The baseline is z = W x + b (TorchScript); the candidate is the same model exported to ONNX with class
 * 1's bias lowered by 10, so it never predicts class 1: every class-1 sample is a regression (closed form; in
 * [0, 1]³ the classes are 0%, 15%, 81% and 4% of the inputs).
 */
class GateComparisonTests {

    @TempDir
    static Path folder;

    private static int classOne;
    private static final int SAMPLES = 120;

    @BeforeAll
    static void models() throws IOException {
        Path models = Files.createDirectories(folder.resolve("models"));
        try (InputStream linear = GateComparisonTests.class.getResourceAsStream("/models/linear.pt")) {
            Files.copy(linear, models.resolve("baseline.pt"));
        }
        float[] bias = LinearModels.B.clone();
        bias[1] -= 10;
        OnnxModels.linear(models.resolve("candidate.onnx"), LinearModels.W, bias);
        OnnxModels.linear(models.resolve("same.onnx"), LinearModels.W, LinearModels.B);
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < SAMPLES; i++) {
            float[] x = {(float) random.nextDouble(), (float) random.nextDouble(), (float) random.nextDouble()};
            float[] z = LinearModels.expectedLogits(x);
            int label = 0;
            for (int c = 1; c < z.length; c++) {
                label = z[c] > z[label] ? c : label;
            }
            classOne += label == 1 ? 1 : 0;
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d%n", x[0], x[1], x[2], label));
        }
        Files.writeString(folder.resolve("data.csv"), csv.toString());
    }

    private static Path spec(String name, String candidate, String checks) throws IOException {
        return Files.writeString(folder.resolve(name), """
                model: {file: models/%s, inputShape: [3], classes: 4}
                baseline: {file: models/baseline.pt, inputShape: [3], classes: 4}
                data:
                  test: {format: csv, path: data.csv, classes: 4, bounds: [0, 1]}
                checks:
                """.formatted(candidate) + checks);
    }

    private static final String CHECKS = """
              - check: comparison
                metric: accuracy
                notWorseBy: 0.02
              - check: comparison
                metric: class-recall
                notWorseBy: 0.05
              - check: class-accuracy
                atLeast: 0.8
              - check: certified
                attack: fgsm
                epsilon: 0.01
                certifiedAtLeast: 0.5
            """;

    @Test
    void a_candidate_that_lost_a_class_fails_the_comparison_and_class_bars_naming_the_class() throws IOException {
        assertThat(classOne).as("class 1 samples, all lost by the candidate").isBetween(10, 60);
        Path out = folder.resolve("out-worse");
        CliRun run = CliRun.of("gate", spec("worse.yaml", "candidate.onnx", CHECKS).toString(), "--out", out.toString());

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
        JsonArray checks = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject()
                .getAsJsonArray("checks");
        JsonObject accuracy = checks.get(0).getAsJsonObject();
        assertThat(accuracy.get("status").getAsString()).isEqualTo("failed");
        assertThat(accuracy.get("value").getAsDouble()).as("candidate − baseline accuracy")
                .isCloseTo(-classOne / (double) SAMPLES, org.assertj.core.api.Assertions.within(1e-9));
        JsonObject recall = checks.get(1).getAsJsonObject();
        assertThat(recall.get("status").getAsString()).isEqualTo("failed");
        assertThat(recall.get("value").getAsDouble()).as("class 1's recall falls from 1 to 0").isEqualTo(-1.0);
        assertThat(recall.get("message").getAsString()).contains("class 1").contains("mid-p");
        JsonObject perClass = checks.get(2).getAsJsonObject();
        assertThat(perClass.get("status").getAsString()).isEqualTo("failed");
        assertThat(perClass.get("value").getAsDouble()).isZero();
        assertThat(perClass.get("message").getAsString()).contains("class 1");
        JsonObject certified = checks.get(3).getAsJsonObject();
        assertThat(certified.get("status").getAsString()).as("ONNX has no layer view nor gradients")
                .isEqualTo("skipped");
    }

    @Test
    void the_same_model_under_another_engine_passes_the_comparison() throws IOException {
        Path out = folder.resolve("out-same");
        CliRun run = CliRun.of("gate", spec("same.yaml", "same.onnx", CHECKS).toString(), "--out", out.toString());

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("3 passed, 0 failed, 1 skipped");
    }

    @Test
    void a_comparison_without_a_baseline_or_with_unused_fields_is_refused() throws IOException {
        Path noBaseline = Files.writeString(folder.resolve("no-baseline.yaml"), """
                model: {file: models/baseline.pt, inputShape: [3], classes: 4}
                data:
                  test: {format: csv, path: data.csv, classes: 4}
                checks:
                  - check: comparison
                    metric: accuracy
                    notWorseBy: 0.01
                """);
        CliRun run = CliRun.of("gate", noBaseline.toString(), "--out", folder.resolve("out-refused").toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("line 5, field 'checks[0].check'").contains("add baseline:");
        CliRun attack = CliRun.of("gate", spec("attack.yaml", "same.onnx", """
                  - check: comparison
                    metric: accuracy
                    attack: fgsm
                    notWorseBy: 0.01
                """).toString(), "--out", folder.resolve("out-refused-2").toString());
        assertThat(attack.status()).isEqualTo(2);
        assertThat(attack.err()).contains("field 'checks[0].attack'").contains("robust-accuracy only");
        CliRun noBar = CliRun.of("gate", spec("no-bar.yaml", "same.onnx", """
                  - check: certified
                    attack: pgd
                    epsilon: 0.01
                """).toString(), "--out", folder.resolve("out-refused-3").toString());
        assertThat(noBar.status()).isEqualTo(2);
        assertThat(noBar.err()).contains("names no bar");
    }
}

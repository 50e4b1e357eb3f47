package dev.gauntlet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.shift.KsDrift;
import dev.gauntlet.testkits.data.ReferenceData;
import dev.gauntlet.testkits.models.ModelCache;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;
import dev.gauntlet.trust.TrustScore;
import dev.gauntlet.uncertainty.Calibration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/** The command line end to end: exit codes, outputs, and JSON that matches values computed in Java. */
class GauntletCliTests {

    @TempDir
    static Path dir;

    private static Path parameters;
    private static Path testCsv;

    @BeforeAll
    static void modelAndData() throws IOException {
        ReferenceModels.load(ReferenceModel.DIGITS_MLP).close(); // trained into the cache if absent
        // a spec names files relative to its own folder, and only there: the saved model is copied beside it
        parameters = Files.createDirectories(dir.resolve("digits-mlp"));
        try (Stream<Path> files = Files.list(ModelCache.modelDir(ReferenceModel.DIGITS_MLP.cacheKey(
                ReferenceModels.DEFAULT_SEED)))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, parameters.resolve(file.getFileName()));
            }
        }
        testCsv = csv(ReferenceData.digits().test(), "digits-test.csv", true);
    }

    /** Writes a dataset's rows, with the label as the last column when asked. */
    private static Path csv(Dataset data, String name, boolean withLabels) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < data.size(); i++) {
            float[] row = data.features(i);
            for (int j = 0; j < row.length; j++) {
                text.append(j > 0 ? "," : "").append(row[j]);
            }
            text.append(withLabels ? "," + data.label(i) : "").append('\n');
        }
        return Files.writeString(dir.resolve(name), text.toString());
    }

    private static String spec(String checks) {
        return String.format(Locale.ROOT, """
                model:
                  architecture: digits-mlp
                  parameters: %s
                  inputShape: [64]
                  classes: 10
                data:
                  test:
                    format: csv
                    path: %s
                    classes: 10
                    bounds: [0, 1]
                  train:
                    reference: digits
                    part: train
                seed: 3
                checks:
                %s""", parameters.getFileName(), testCsv.getFileName(), checks);
    }

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = GauntletCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void a_gate_whose_thresholds_are_met_exits_0_with_results_summary_and_html() throws IOException {
        Path spec = Files.writeString(dir.resolve("pass.yaml"), spec("""
                  - check: accuracy
                    atLeast: 0.95
                  - check: robustness
                    attack: fgsm
                    epsilon: 0.01
                    atLeast: 0.9
                  - check: calibration
                    eceAtMost: 0.05
                  - check: drift
                    test: ks
                  - check: trust
                    aurocAtLeast: 0.6
                """));
        Path out = dir.resolve("out-pass");
        io.qameta.allure.AllureLifecycle callers = io.qameta.allure.Allure.getLifecycle();
        Run run = run("gate", spec.toString(), "--out", out.toString(), "--html");
        assertThat(io.qameta.allure.Allure.getLifecycle()).as("the caller's Allure lifecycle is given back")
                .isSameAs(callers);
        System.out.println(run.out() + run.err());
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("PASS  accuracy").contains("5 passed, 0 failed");
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        assertThat(summary.get("passed").getAsBoolean()).isTrue();
        assertThat(summary.getAsJsonArray("checks")).hasSize(5);
        assertThat(summary.getAsJsonArray("checks").get(0).getAsJsonObject().get("value").getAsDouble())
                .isCloseTo(ReferenceModels.load(ReferenceModel.DIGITS_MLP).accuracy(ReferenceData.digits().test()),
                        within(1e-9));
        Path runFolder;
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            runFolder = runs.findFirst().orElseThrow();
        }
        assertThat(summary.getAsJsonObject("run").get("id").getAsString()).isEqualTo(runFolder.getFileName()
                .toString());
        try (Stream<Path> results = Files.list(runFolder.resolve("allure-results"))) {
            assertThat(results.filter(p -> p.toString().endsWith("-result.json")).count()).isEqualTo(5);
        }
        assertThat(Files.readString(out.resolve("report.html"))).contains("<table>").contains("data:image/png;base64,");
    }

    @Test
    void an_unreachable_threshold_exits_1_naming_the_check() throws IOException {
        Path spec = Files.writeString(dir.resolve("fail.yaml"), spec("""
                  - check: accuracy
                    atLeast: 0.95
                  - check: robustness
                    attack: pgd
                    epsilon: 0.3
                    steps: 10
                    atLeast: 0.9
                """));
        Run run = run("gate", spec.toString(), "--out", dir.resolve("out-fail").toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("FAIL  robust accuracy under pgd-linf(eps=0.3").contains("1 passed, 1 failed");
    }

    @Test
    void a_malformed_spec_exits_2_naming_line_and_field() throws IOException {
        Path unknownCheck = Files.writeString(dir.resolve("bad-check.yaml"), spec("""
                  - check: accuracy
                    atLeast: 0.9
                  - check: acuracy
                    atLeast: 0.9
                """));
        Run first = run("gate", unknownCheck.toString());
        assertThat(first.status()).isEqualTo(2);
        assertThat(first.err()).contains("line 19, field 'checks[1].check'").contains("unknown check 'acuracy'");

        Path badNumber = Files.writeString(dir.resolve("bad-number.yaml"), spec("""
                  - check: robustness
                    attack: fgsm
                    epsilon: big
                    atLeast: 0.9
                """));
        Run second = run("gate", badNumber.toString());
        assertThat(second.status()).isEqualTo(2);
        assertThat(second.err()).contains("line 19, field 'checks[0].epsilon'").contains("must be a number");

        Path missing = Files.writeString(dir.resolve("missing.yaml"), spec("""
                  - check: accuracy
                """));
        assertThat(run("gate", missing.toString()).err()).contains("field 'checks[0].atLeast': is required");

        Path syntax = Files.writeString(dir.resolve("syntax.yaml"), "model:\n  reference: [digits-mlp\nchecks: x\n");
        Run fourth = run("gate", syntax.toString());
        assertThat(fourth.status()).isEqualTo(2);
        assertThat(fourth.err()).contains("line 3");
    }

    @Test
    void certified_bounds_bracket_the_attack_on_a_model_with_a_layer_view() throws IOException {
        Path spec = Files.writeString(dir.resolve("certified.yaml"), spec("""
                  - check: certified
                    attack: pgd
                    epsilon: 0.01
                    steps: 10
                    samples: 40
                    certifiedAtLeast: 0.9
                  - check: certified
                    attack: pgd
                    epsilon: 0.01
                    steps: 10
                    samples: 40
                    method: ibp
                    openAtMost: 0.3
                  - check: robustness
                    attack: pgd
                    epsilon: 0.01
                    steps: 10
                    atLeast: 0.5
                """));
        Path out = dir.resolve("out-certified");
        Run run = run("gate", spec.toString(), "--out", out.toString());
        System.out.println(run.out() + run.err());
        assertThat(run.status()).isZero();
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        double crown = summary.getAsJsonArray("checks").get(0).getAsJsonObject().get("value").getAsDouble();
        double ibpOpen = summary.getAsJsonArray("checks").get(1).getAsJsonObject().get("value").getAsDouble();
        double attacked = summary.getAsJsonArray("checks").get(2).getAsJsonObject().get("value").getAsDouble();
        // measured: CROWN certifies 0.975 of the 40 samples, IBP leaves 0.10 open, PGD-10 keeps 0.964 of all 359
        assertThat(crown).as("certified (a lower bound) on 40 samples").isGreaterThanOrEqualTo(0.9)
                .isLessThanOrEqualTo(1.0);
        assertThat(ibpOpen).isBetween(0.0, 0.3);
        assertThat(summary.getAsJsonArray("warnings")).isEmpty();
        assertThat(attacked).as("the attack's robust accuracy on the whole test set").isGreaterThan(0.5);
    }

    @Test
    void drift_prints_the_json_of_the_same_test_run_in_java() throws IOException {
        Dataset train = ReferenceData.digits().train().head(300);
        Dataset shifted = ReferenceData.digits().test().head(300);
        Path a = csv(train, "a.csv", false);
        Path b = csv(shifted, "b.csv", false);
        Run run = run("drift", "--reference", a.toString(), "--current", b.toString(), "--test", "ks");
        var expected = KsDrift.ks().fdr().test(MetricCommands.rows(a), MetricCommands.rows(b), 0);
        assertThat(run.status()).as("exit 1 when drift is detected").isEqualTo(expected.drift() ? 1 : 0);
        JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
        assertThat(json.get("pValue").getAsDouble()).isCloseTo(expected.pValue(), within(1e-12));
        assertThat(json.get("drift").getAsBoolean()).isEqualTo(expected.drift());
    }

    @Test
    void calibration_and_trust_print_the_values_computed_in_java() throws IOException {
        Dataset test = ReferenceData.digits().test();
        Dataset train = ReferenceData.digits().train();
        float[][] probabilities;
        int[] predicted;
        try (var mlp = ReferenceModels.load(ReferenceModel.DIGITS_MLP)) {
            probabilities = mlp.probabilities(test);
            predicted = mlp.predict(test);
        }
        StringBuilder p = new StringBuilder();
        StringBuilder y = new StringBuilder();
        StringBuilder scored = new StringBuilder();
        for (int i = 0; i < test.size(); i++) {
            for (int c = 0; c < probabilities[i].length; c++) {
                p.append(c > 0 ? "," : "").append(probabilities[i][c]);
            }
            p.append('\n');
            y.append(test.label(i)).append('\n');
            float[] row = test.features(i);
            for (float v : row) {
                scored.append(v).append(',');
            }
            scored.append(predicted[i]).append('\n');
        }
        Path probabilitiesFile = Files.writeString(dir.resolve("p.csv"), p.toString());
        Path labelsFile = Files.writeString(dir.resolve("y.csv"), y.toString());
        Run calibration = run("calibration", "--probabilities", probabilitiesFile.toString(), "--labels",
                labelsFile.toString());
        assertThat(calibration.status()).isZero();
        double ece = JsonParser.parseString(calibration.out()).getAsJsonObject().get("ece")
                .getAsDouble();
        float[][] reread = MetricCommands.matrix(probabilitiesFile);
        assertThat(ece).isCloseTo(Calibration.of(reread, test.labels()).expectedCalibrationError(), within(1e-12));

        Path trainFile = csv(train, "train.csv", true);
        Path scoredFile = Files.writeString(dir.resolve("scored.csv"), scored.toString());
        Run trust = run("trust", "--train", trainFile.toString(), "--test", scoredFile.toString(), "--classes", "10");
        assertThat(trust.status()).isZero();
        var scores = JsonParser.parseString(trust.out()).getAsJsonObject().getAsJsonArray("scores");
        double[] expected = TrustScore.fit(train).score(test, predicted).scores();
        assertThat(scores).hasSize(expected.length);
        for (int i = 0; i < expected.length; i += 37) {
            assertThat(scores.get(i).getAsDouble()).isCloseTo(expected[i], within(1e-6 * Math.max(1, expected[i])));
        }
    }
}

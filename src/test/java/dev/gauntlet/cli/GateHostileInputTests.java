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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The gate against hostile and broken specs and results folders. Every case asserts the exit status (2 for a
 * spec, data or model the gate cannot run), the message (line, field, and what to do), that no input file
 * changed and that nothing was written outside the run's own folder. The model is the TorchScript
 * z = W x + b of {@link LinearModels}.
 */
class GateHostileInputTests {

    @TempDir
    static Path root;

    /** The spec's folder with the model and the data; {@code root} holds a secret outside it. */
    private static Path folder;

    @BeforeAll
    static void modelAndData() throws IOException {
        folder = Files.createDirectories(root.resolve("gate"));
        Path models = Files.createDirectories(folder.resolve("models"));
        try (InputStream linear = GateHostileInputTests.class.getResourceAsStream("/models/linear.pt")) {
            Files.copy(linear, models.resolve("linear.pt"));
        }
        SplittableRandom random = new SplittableRandom(5);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            float[] row = {(float) random.nextDouble(), (float) random.nextDouble(), (float) random.nextDouble()};
            float[] z = LinearModels.expectedLogits(row);
            int label = 0;
            for (int c = 1; c < z.length; c++) {
                label = z[c] > z[label] ? c : label;
            }
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d%n", row[0], row[1], row[2], label));
        }
        Files.writeString(folder.resolve("data.csv"), csv.toString());
        Files.writeString(root.resolve("secret.csv"), csv.toString());
        Files.createSymbolicLink(folder.resolve("linked.csv"), root.resolve("secret.csv"));
        Files.createDirectories(root.resolve("params-outside"));
    }

    private static final String ACCURACY = """
              - check: accuracy
                atLeast: 0.9
            """;

    /** A spec over the linear model; {@code data} replaces the test data's mapping, {@code checks} the list. */
    private static Path spec(String name, String data, String checks) throws IOException {
        return Files.writeString(folder.resolve(name), """
                model:
                  file: models/linear.pt
                  inputShape: [3]
                  classes: 4
                data:
                  test: %s
                seed: 1
                checks:
                %s""".formatted(data, checks));
    }

    private static final String DATA = "{format: csv, path: data.csv, classes: 4, bounds: [0, 1]}";

    /** SHA-256 of every file under {@code dir}, by relative path, leaving out {@code except}. */
    private static Map<String, String> snapshot(Path dir, Path except) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path file : all.filter(f -> !f.startsWith(except) && Files.isRegularFile(f)).toList()) {
                files.put(dir.relativize(file).toString(), sha256(Files.readAllBytes(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static int cases;

    /**
     * Runs the gate on {@code spec} into a fresh output folder and asserts: exit 2, the message fragments, no
     * stack trace, no check run, no input changed and nothing written outside the output folder (which holds
     * no run at all when the spec is refused before the run starts, and otherwise only a stopped run).
     */
    private static CliRun assertRefused(Path spec, String... fragments) {
        Path out = root.resolve("out-refused-" + cases++);
        Map<String, String> before = snapshot(root, out);
        CliRun run = CliRun.of("gate", spec.toString(), "--out", out.toString(), "--html");
        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err()).contains(fragments).doesNotContain("\tat ");
        assertThat(run.out()).doesNotContain("PASS").doesNotContain("FAIL");
        assertThat(snapshot(root, out)).as("inputs unchanged, nothing written outside --out").isEqualTo(before);
        assertThat(out.resolve("summary.json")).doesNotExist();
        return run;
    }

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    private static List<Path> runs(Path out) throws IOException {
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            return runs.sorted().toList();
        }
    }

    // --- paths a spec names stay in its folder -------------------------------------------------------------

    @Test
    void a_data_file_outside_the_spec_folder_is_refused() throws IOException {
        assertRefused(spec("data-absolute.yaml", "{format: csv, path: " + root.resolve("secret.csv")
                + ", classes: 4}", ACCURACY), "field 'data.test.path'", "not the absolute path");
        assertRefused(spec("data-dotdot.yaml", "{format: csv, path: ../secret.csv, classes: 4}", ACCURACY),
                "field 'data.test.path'", "leaves the spec's folder");
        assertRefused(spec("data-link.yaml", "{format: csv, path: linked.csv, classes: 4}", ACCURACY),
                "field 'data.test.path'", "symbolic link", "outside the spec's folder");
        assertRefused(spec("idx-absolute.yaml", "{format: idx, images: /etc/passwd, labels: data.csv, classes: 4}",
                ACCURACY), "field 'data.test.images'", "not the absolute path");
        assertRefused(spec("data-folder.yaml", "{format: csv, path: models, classes: 4}", ACCURACY),
                "field 'data.test.path'", "is a folder");
    }

    @Test
    void a_parameters_folder_outside_the_spec_folder_is_refused() throws IOException {
        Path spec = Files.writeString(folder.resolve("params-outside.yaml"), """
                model:
                  architecture: no-such-architecture
                  parameters: ../params-outside
                  inputShape: [3]
                  classes: 4
                data:
                  test: %s
                checks:
                %s""".formatted(DATA, ACCURACY));
        assertRefused(spec, "line 3, field 'model.parameters'", "leaves the spec's folder");
    }

    // --- every field a check does not use, every bar outside its range, is an error -------------------------

    @Test
    void parameters_a_check_does_not_use_are_refused() throws IOException {
        assertRefused(spec("square-steps.yaml", DATA, """
                  - check: robustness
                    attack: square
                    epsilon: 0.1
                    steps: 50
                    atLeast: 0.1
                """), "line 12, field 'checks[0].steps'", "applies to pgd only");
        assertRefused(spec("fgsm-steps.yaml", DATA, """
                  - check: sanity
                    attack: fgsm
                    epsilon: 0.1
                    steps: 5
                """), "field 'checks[0].steps'", "applies to pgd only");
        assertRefused(spec("gaussian-severity.yaml", DATA, """
                  - check: corruption
                    kind: gaussian
                    sigma: 0.1
                    severity: 3
                    atLeast: 0.1
                """), "field 'checks[0].severity'", "does not apply to gaussian noise");
        assertRefused(spec("blur-sigma.yaml", DATA, """
                  - check: corruption
                    kind: tabular-scaling
                    sigma: 0.1
                    atLeast: 0.1
                """), "field 'checks[0].sigma'", "applies to kind gaussian only");
    }

    @Test
    void bars_that_can_never_pass_or_never_be_measured_are_refused() throws IOException {
        assertRefused(spec("sensitivity-negative.yaml", DATA, """
                  - check: explanations
                    method: saliency
                    maxSensitivityAtMost: -5
                """), "field 'checks[0].maxSensitivityAtMost'", "negative bar can never pass");
        assertRefused(spec("accuracy-above-one.yaml", DATA, """
                  - check: accuracy
                    atLeast: 1.5
                """), "field 'checks[0].atLeast'", "must be in [0, 1]");
        assertRefused(spec("sigma-negative.yaml", DATA, """
                  - check: corruption
                    kind: gaussian
                    sigma: -0.1
                    atLeast: 0.5
                """), "field 'checks[0].sigma'", "must be >= 0");
        assertRefused(spec("steps-huge.yaml", DATA, """
                  - check: robustness
                    attack: pgd
                    epsilon: 0.1
                    steps: 2000000000
                    atLeast: 0.1
                """), "field 'checks[0].steps'", "between 1 and 100000");
    }

    @Test
    void bars_that_make_a_check_vacuous_pass_with_warnings_in_the_console_and_the_summary() throws IOException {
        Path spec = spec("vacuous.yaml", DATA, """
                  - check: accuracy
                    atLeast: 0
                  - check: robustness
                    attack: fgsm
                    epsilon: 1000
                    atLeast: 0
                  - check: explanations
                    method: saliency
                    maxSensitivityAtMost: 1e308
                """);
        Path out = root.resolve("out-vacuous");
        CliRun run = CliRun.of("gate", spec.toString(), "--out", out.toString());

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.err()).contains("warning").contains("line 10, field 'checks[0].atLeast': a bar of >= 0.0 can"
                + " never fail").contains("line 13, field 'checks[1].epsilon': epsilon 1000.0 is at least half the"
                + " data's value range [0.0, 1.0]").contains("field 'checks[2].maxSensitivityAtMost'");
        JsonArray warnings = json(out.resolve("summary.json")).getAsJsonArray("warnings");
        assertThat(warnings).hasSize(4); // atLeast 0 twice, the radius, the sensitivity bar
        assertThat(run.out()).contains("4 warnings");
    }

    @Test
    void a_spec_with_two_checks_lists_is_refused_rather_than_running_only_the_first() throws IOException {
        Path spec = Files.writeString(folder.resolve("two-lists.yaml"), Files.readString(spec("two-lists-base.yaml",
                DATA, ACCURACY)) + """
                checks:
                  - check: accuracy
                    atLeast: 0.1
                """);
        assertRefused(spec, "line 11, field 'checks'", "given twice");
    }

    @Test
    void a_model_whose_weights_are_nan_does_not_run_and_exits_2_saying_so() throws IOException {
        // ONNX Runtime does not expose its weights, so the NaN is met where it appears: in the logits of the
        // load-time probe, before any check could measure a broken model
        float[][] w = new float[LinearModels.W.length][];
        for (int c = 0; c < w.length; c++) {
            w[c] = LinearModels.W[c].clone();
        }
        w[0][0] = Float.NaN;
        OnnxModels.linear(folder.resolve("models").resolve("nan.onnx"), w, LinearModels.B);
        Path spec = Files.writeString(folder.resolve("nan.yaml"), Files.readString(spec("nan-base.yaml", DATA, """
                  - check: accuracy
                    atLeast: 0.1
                  - check: robustness
                    attack: square
                    epsilon: 0.05
                    atLeast: 0.1
                  - check: calibration
                    eceAtMost: 0.5
                  - check: corruption
                    kind: gaussian
                    sigma: 0.05
                    atLeast: 0.1
                """)).replace("models/linear.pt", "models/nan.onnx"));
        CliRun run = assertRefused(spec, "line 2, field 'model'", "NaN or infinite logits", "OnnxRuntime does not"
                + " expose this model's weights", "stopped, incomplete");
        assertThat(run.out()).doesNotContain("passed");
    }

    @Test
    void data_that_does_not_fit_the_model_exits_2_before_any_check() throws IOException {
        Files.writeString(folder.resolve("two-features.csv"), "0.1,0.2,1\n0.3,0.4,2\n0.5,0.6,0\n");
        CliRun shape = assertRefused(spec("shape.yaml", "{format: csv, path: two-features.csv, classes: 4}", ACCURACY),
                "field 'data.test'", "holds samples of shape (2)", "takes (3)");
        assertThat(shape.err()).contains("stopped, incomplete");
        assertRefused(spec("classes.yaml", "{format: csv, path: data.csv, classes: 5}", ACCURACY),
                "field 'data.test'", "declares 5 classes but the model", "has 4");
    }

    @Test
    void chi_squared_on_continuous_features_stops_naming_the_feature_and_mixed_runs() throws IOException {
        Path spec = Files.writeString(folder.resolve("chi2.yaml"), """
                model: {file: models/linear.pt, inputShape: [3], classes: 4}
                data:
                  test: %s
                  train: %s
                checks:
                  - check: drift
                    test: chi2
                  - check: drift
                    test: mixed
                """.formatted(DATA, DATA));
        assertRefused(spec, "chi2 drift needs categorical features, but feature 0", "use test: ks",
                "stopped, incomplete");
        Path mixed = Files.writeString(folder.resolve("mixed.yaml"), Files.readString(spec).replace("""
                  - check: drift
                    test: chi2
                """, ""));
        Path out = root.resolve("out-mixed");
        CliRun run = CliRun.of("gate", mixed.toString(), "--out", out.toString());
        assertThat(run.status()).as(run.out() + run.err()).isZero();
        JsonArray checks = json(out.resolve("summary.json")).getAsJsonArray("checks");
        assertThat(checks.get(0).getAsJsonObject().get("status").getAsString()).as("the same data against itself")
                .isEqualTo("passed");
    }

    // --- the spec file itself -------------------------------------------------------------------------------

    @Test
    void a_spec_that_is_not_a_readable_yaml_file_exits_2_saying_why() throws IOException {
        assertThat(CliRun.of("gate", folder.resolve("missing.yaml").toString()).err()).contains("missing.yaml")
                .contains("no such file");
        CliRun dirRun = CliRun.of("gate", folder.resolve("models").toString());
        assertThat(dirRun.status()).isEqualTo(2);
        assertThat(dirRun.err()).contains("is a folder; name the spec file");

        Path latin1 = Files.write(folder.resolve("latin1.yaml"), "model: {reference: caf\u00e9}\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertRefused(latin1, "save the spec as UTF-8");

        Path big = folder.resolve("big.yaml");
        Files.writeString(big, "# " + "x".repeat((int) GateCommand.MAX_SPEC_BYTES) + "\n");
        assertRefused(big, "a spec is at most " + GateCommand.MAX_SPEC_BYTES + " bytes");
        Files.delete(big);

        // "billion laughs": aliases that expand to a huge document
        StringBuilder laughs = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            laughs.append(c).append(": &").append(c).append(" [").append(("*" + (char) (c - 1) + ", ").repeat(8))
                    .append('*').append((char) (c - 1)).append("]\n");
        }
        assertRefused(Files.writeString(folder.resolve("laughs.yaml"), laughs.toString()), "aliases");

        assertRefused(Files.writeString(folder.resolve("deep.yaml"), "model: " + "[".repeat(100) + "]".repeat(100)
                + "\n"), "(syntax)");
    }

    @Test
    void numbers_out_of_their_range_are_refused_before_any_allocation() throws IOException {
        assertRefused(spec("classes-huge.yaml", "{format: csv, path: data.csv, classes: 2000000000}", ACCURACY),
                "field 'data.test.classes'", "between 2 and 100000");
        assertRefused(spec("limit-zero.yaml", "{format: csv, path: data.csv, classes: 4, limit: 0}", ACCURACY),
                "field 'data.test.limit'", "between 1 and");
        assertRefused(Files.writeString(folder.resolve("seed.yaml"), Files.readString(spec("seed-base.yaml", DATA,
                ACCURACY)).replace("seed: 1", "seed: 1.5")), "field 'seed'", "whole number");
        assertRefused(Files.writeString(folder.resolve("model-classes.yaml"), Files.readString(spec("mc.yaml", DATA,
                ACCURACY)).replace("classes: 4\ndata", "classes: 2000000000\ndata")), "field 'model.classes'",
                "between 2 and 100000");
    }

    @Test
    void an_out_folder_that_cannot_be_written_exits_2_naming_it() throws IOException {
        Path spec = spec("out-file.yaml", DATA, ACCURACY);
        Path file = Files.writeString(root.resolve("a-file"), "not a folder");
        CliRun run = CliRun.of("gate", spec.toString(), "--out", file.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("cannot write the results to --out " + file);
        assertThat(Files.readString(file)).isEqualTo("not a folder");
    }

    // --- a run's results are its own -----------------------------------------------------------------------

    @Test
    void each_run_has_its_own_folder_and_the_latest_summary_names_it() throws IOException {
        Path out = root.resolve("out-runs");
        Path one = spec("one.yaml", DATA, ACCURACY);
        Path two = spec("two.yaml", DATA, ACCURACY + """
                  - check: robustness
                    attack: fgsm
                    epsilon: 0.05
                    atLeast: 0.1
                """);
        assertThat(CliRun.of("gate", one.toString(), "--out", out.toString(), "--html").status()).isZero();
        assertThat(CliRun.of("gate", two.toString(), "--out", out.toString(), "--html").status()).isZero();

        List<Path> runs = runs(out);
        assertThat(runs).hasSize(2);
        for (Path run : runs) {
            JsonObject summary = json(run.resolve("summary.json"));
            int checks = summary.get("spec").getAsString().endsWith("one.yaml") ? 1 : 2;
            assertThat(summary.getAsJsonArray("checks")).hasSize(checks);
            assertThat(h2Count(Files.readString(run.resolve("report.html")))).isEqualTo(checks);
            assertThat(json(run.resolve("run.json")).get("state").getAsString()).isEqualTo("complete");
            assertThat(summary.getAsJsonObject("run").get("id").getAsString()).isEqualTo(run.getFileName().toString());
            assertThat(summary.getAsJsonObject("run").get("specSha256").getAsString())
                    .isEqualTo(RunFolder.sha256(Path.of(summary.get("spec").getAsString())));
            try (Stream<Path> results = Files.list(run.resolve("allure-results"))) {
                assertThat(results.filter(f -> f.toString().endsWith("-result.json")).count()).isEqualTo(checks);
            }
        }
        JsonObject latest = json(out.resolve("summary.json"));
        assertThat(latest.get("spec").getAsString()).endsWith("two.yaml");
        assertThat(Files.readString(out.resolve("summary.json")))
                .isEqualTo(Files.readString(out.resolve("runs").resolve(latest.getAsJsonObject("run").get("id")
                        .getAsString()).resolve("summary.json")));
        try (Stream<Path> temps = Files.walk(out)) {
            assertThat(temps.filter(f -> f.getFileName().toString().endsWith(".tmp"))).as("no temporary file left")
                    .isEmpty();
        }
    }

    @Test
    void a_run_that_cannot_load_its_data_removes_the_previous_summary_and_is_marked_stopped() throws IOException {
        Path out = root.resolve("out-stopped");
        assertThat(CliRun.of("gate", spec("good.yaml", DATA, ACCURACY).toString(), "--out", out.toString()).status())
                .isZero();
        assertThat(out.resolve("summary.json")).exists();
        Files.writeString(folder.resolve("bad-cell.csv"), "0.1,0.2,0.3,1\n0.1,oops,0.3,1\n");
        CliRun bad = CliRun.of("gate", spec("bad-data.yaml", "{format: csv, path: bad-cell.csv, classes: 4}", ACCURACY)
                .toString(), "--out", out.toString());

        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("line 2").contains("oops").contains("stopped, incomplete");
        assertThat(out.resolve("summary.json")).as("no earlier run's 'passed' is left to read").doesNotExist();
        Path stopped = runs(out).stream().filter(r -> !Files.exists(r.resolve("summary.json"))).findFirst()
                .orElseThrow();
        JsonObject state = json(stopped.resolve("run.json"));
        assertThat(state.get("state").getAsString()).isEqualTo("stopped");
        assertThat(state.get("reason").getAsString()).contains("oops");
    }

    @Test
    void the_html_reads_only_this_run_and_skips_a_broken_results_folder() throws IOException {
        // a shared --results folder holding another run's results, a 0-byte and a truncated file, and a forged
        // result whose attachment points at a file outside
        Path shared = Files.createDirectories(root.resolve("shared-results"));
        Files.writeString(shared.resolve("aaaa-result.json"), "");
        Files.writeString(shared.resolve("bbbb-result.json"), "{\"name\": \"truncated");
        Files.writeString(shared.resolve("cccc-result.json"), forgedResult("forged check", "../secret.csv"));
        Path out = root.resolve("out-shared");
        CliRun run = CliRun.of("gate", spec("shared.yaml", DATA, ACCURACY).toString(), "--out", out.toString(), "--results",
                shared.toString(), "--html");

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        String html = Files.readString(out.resolve("report.html"));
        assertThat(h2Count(html)).isEqualTo(1);
        assertThat(html).doesNotContain("forged check").doesNotContain("truncated");
    }

    @Test
    void an_attachment_is_embedded_only_from_a_plain_file_of_the_results_folder() throws IOException {
        Path results = Files.createDirectories(root.resolve("results-forged"));
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        Files.write(results.resolve("good-attachment.png"), png);
        Files.createSymbolicLink(results.resolve("link-attachment.png"), root.resolve("secret.csv"));
        Files.writeString(results.resolve("ok-result.json"), forgedResult("ok", "good-attachment.png"));
        Files.writeString(results.resolve("dotdot-result.json"), forgedResult("dotdot", "../secret.csv"));
        Files.writeString(results.resolve("absolute-result.json"), forgedResult("absolute", "/etc/passwd"));
        Files.writeString(results.resolve("link-result.json"), forgedResult("link", "link-attachment.png"));
        Files.writeString(results.resolve("empty-result.json"), "");

        String html = HtmlSummary.render("spec.yaml", Map.of("id", "run-1"), List.of(), results,
                List.of("ok", "dotdot", "absolute", "link", "empty", "missing"));

        String secret = java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(root.resolve("secret.csv")));
        assertThat(html).contains(java.util.Base64.getEncoder().encodeToString(png))
                .doesNotContain(secret.substring(0, 40))
                .contains("attachment '../secret.csv' left out").contains("attachment '/etc/passwd' left out")
                .contains("attachment 'link-attachment.png' left out")
                .contains("empty-result.json: unreadable").contains("missing-result.json: unreadable");
    }

    private static String forgedResult(String name, String source) {
        return """
                {"uuid": "x", "name": "%s", "start": 1, "status": "passed",
                 "attachments": [{"name": "a", "type": "image/png", "source": "%s"}]}""".formatted(name, source);
    }

    /** The check sections of a report (the trend section, once a spec has history, is not a check). */
    private static int h2Count(String html) {
        Matcher matcher = Pattern.compile("<h2>(?!trends over the last runs)").matcher(html);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    // --- killed and parallel runs, in separate JVMs as in CI ---------------------------------------------------

    private static Process fork(Path spec, Path out) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), GauntletCli.class.getName(), "gate",
                spec.toString(), "--out", out.toString(), "--html"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(root.resolve(spec.getFileName() + "-" + System.nanoTime() + ".log").toFile()).start();
    }

    @Test
    void a_killed_run_stays_incomplete_and_reruns_and_parallel_runs_describe_only_their_own_checks()
            throws Exception {
        Path out = root.resolve("out-killed");
        Path slow = spec("slow.yaml", DATA, ACCURACY + """
                  - check: robustness
                    attack: pgd
                    epsilon: 0.1
                    steps: 100000
                    atLeast: 0.1
                """);
        Process killed = fork(slow, out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!firstResultWritten(out)) {
            assertThat(killed.isAlive()).as("the slow gate is still running").isTrue();
            assertThat(System.nanoTime()).as("the first check finishes in time").isLessThan(deadline);
            Thread.sleep(50);
        }
        killed.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
        assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path killedRun = runs(out).get(0);
        assertThat(json(killedRun.resolve("run.json")).get("state").getAsString()).isEqualTo("running");
        assertThat(killedRun.resolve("summary.json")).doesNotExist();
        assertThat(out.resolve("summary.json")).doesNotExist();

        Path rerun = spec("rerun.yaml", DATA, ACCURACY + """
                  - check: robustness
                    attack: fgsm
                    epsilon: 0.05
                    atLeast: 0.1
                """);
        assertThat(fork(rerun, out).waitFor()).isZero();
        assertThat(json(out.resolve("summary.json")).getAsJsonArray("checks")).hasSize(2);
        assertThat(h2Count(Files.readString(out.resolve("report.html")))).isEqualTo(2);

        Path three = spec("three.yaml", DATA, ACCURACY + ACCURACY + ACCURACY);
        Process first = fork(rerun, out);
        Process second = fork(three, out);
        assertThat(first.waitFor()).isZero();
        assertThat(second.waitFor()).isZero();

        List<Path> runs = runs(out);
        assertThat(runs).hasSize(4);
        int complete = 0;
        for (Path run : runs) {
            if (run.equals(killedRun)) {
                continue;
            }
            JsonObject summary = json(run.resolve("summary.json"));
            int checks = summary.get("spec").getAsString().endsWith("three.yaml") ? 3 : 2;
            assertThat(summary.getAsJsonArray("checks")).hasSize(checks);
            assertThat(h2Count(Files.readString(run.resolve("report.html")))).isEqualTo(checks);
            try (Stream<Path> results = Files.list(run.resolve("allure-results"))) {
                assertThat(results.filter(f -> f.toString().endsWith("-result.json")).filter(f -> !read(f)
                        .contains("trends over the last runs")).count()).isEqualTo(checks);
            }
            complete++;
        }
        assertThat(complete).isEqualTo(3);
        JsonObject latest = json(out.resolve("summary.json"));
        Path latestRun = out.resolve("runs").resolve(latest.getAsJsonObject("run").get("id").getAsString());
        assertThat(Files.readString(out.resolve("summary.json"))).isEqualTo(Files.readString(latestRun.resolve(
                "summary.json")));
        assertThat(h2Count(Files.readString(out.resolve("report.html")))).isEqualTo(
                latest.getAsJsonArray("checks").size());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean firstResultWritten(Path out) throws IOException {
        if (!Files.isDirectory(out.resolve("runs"))) {
            return false;
        }
        try (Stream<Path> files = Files.walk(out.resolve("runs"))) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith("-result.json"));
        }
    }
}

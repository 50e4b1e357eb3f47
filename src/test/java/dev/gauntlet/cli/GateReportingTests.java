package dev.gauntlet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.gauntlet.model.LinearModels;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;

/**
 * What a gate run tells a release manager besides pass/fail: soft bars (warn), provenance (model fingerprint,
 * data digests, versions) in summary.json and Allure's environment, JUnit XML for the CI server, and the
 * headline metrics' history across runs with its trend charts. The model is the TorchScript z = W x + b.
 */
class GateReportingTests {

    @TempDir
    static Path folder;

    private static float[][] rows;
    private static int[] labels;

    @BeforeAll
    static void modelAndData() throws IOException {
        Path models = Files.createDirectories(folder.resolve("models"));
        try (InputStream linear = GateReportingTests.class.getResourceAsStream("/models/linear.pt")) {
            Files.copy(linear, models.resolve("linear.pt"));
        }
        SplittableRandom random = new SplittableRandom(17);
        rows = new float[50][3];
        labels = new int[50];
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 3; j++) {
                rows[i][j] = (float) random.nextDouble();
            }
            labels[i] = i % 4; // about a quarter right: the accuracy bar below is missed
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d%n", rows[i][0], rows[i][1], rows[i][2], labels[i]));
        }
        Files.writeString(folder.resolve("data.csv"), csv.toString());
    }

    private static Path spec(String name, String checks) throws IOException {
        return Files.writeString(folder.resolve(name), """
                model: {file: models/linear.pt, inputShape: [3], classes: 4}
                data:
                  test: {format: csv, path: data.csv, classes: 4, bounds: [0, 1]}
                seed: 5
                checks:
                """ + checks);
    }

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    private static Path onlyRun(Path out) throws IOException {
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            return runs.reduce((a, b) -> {
                throw new AssertionError("more than one run in " + out);
            }).orElseThrow();
        }
    }

    private static final String SOFT_AND_HARD = """
              - check: accuracy
                atLeast: 0.9
                warn: true
              - check: accuracy
                atLeast: 0.05
            """;

    @Test
    void a_missed_soft_bar_warns_and_exits_0_unless_warnings_fail_the_build() throws IOException {
        Path spec = spec("soft.yaml", SOFT_AND_HARD);
        Path out = folder.resolve("out-soft");
        CliRun run = CliRun.of("gate", spec.toString(), "--out", out.toString());

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("WARN  accuracy").contains("1 passed, 0 failed, 0 skipped, 1 warned");
        JsonObject summary = json(out.resolve("summary.json"));
        assertThat(summary.get("passed").getAsBoolean()).isTrue();
        assertThat(summary.getAsJsonObject("counts").get("warned").getAsInt()).isEqualTo(1);
        assertThat(summary.getAsJsonArray("checks").get(0).getAsJsonObject().get("status").getAsString())
                .isEqualTo("warned");
        String allure = allureResultMentioning(onlyRun(out), "\"name\":\"accuracy\"", "warning: ");
        assertThat(allure).contains("\"status\":\"passed\"");

        CliRun strict = CliRun.of("gate", spec.toString(), "--out", folder.resolve("out-strict").toString(),
                "--fail-on-warning");
        assertThat(strict.status()).isEqualTo(1);
        assertThat(json(folder.resolve("out-strict").resolve("summary.json")).get("passed").getAsBoolean()).isFalse();
        assertThat(CliRun.of("gate", spec("bad-warn.yaml", """
                  - check: accuracy
                    atLeast: 0.9
                    warn: maybe
                """).toString(), "--out", folder.resolve("out-bad").toString()).err())
                .contains("field 'checks[0].warn'").contains("must be true or false");
    }

    private static String allureResultMentioning(Path run, String... fragments) throws IOException {
        try (Stream<Path> files = Files.list(run.resolve("allure-results"))) {
            for (Path file : files.filter(f -> f.toString().endsWith("-result.json")).toList()) {
                String text = Files.readString(file).replace(" ", "");
                boolean all = true;
                for (String fragment : fragments) {
                    all &= text.contains(fragment.replace(" ", ""));
                }
                if (all) {
                    return text;
                }
            }
        }
        throw new AssertionError("no Allure result in " + run + " mentions all of " + String.join(", ", fragments));
    }

    @Test
    void provenance_names_the_model_data_and_versions_in_the_summary_and_allure_and_junit_xml_lists_the_checks()
            throws Exception {
        Path spec = spec("provenance.yaml", SOFT_AND_HARD + """
                  - check: accuracy
                    atLeast: 0.95
                """);
        Path out = folder.resolve("out-provenance");
        assertThat(CliRun.of("gate", spec.toString(), "--out", out.toString()).status()).isEqualTo(1);
        Path run = onlyRun(out);

        JsonObject provenance = json(out.resolve("summary.json")).getAsJsonObject("provenance");
        String fingerprint = provenance.getAsJsonObject("model").get("fingerprint").getAsString();
        assertThat(fingerprint).hasSize(64);
        assertThat(provenance.getAsJsonObject("data").getAsJsonObject("test").get("sha256").getAsString())
                .as("SHA-256 of the float32 features, then the int32 labels, little-endian").isEqualTo(digest());
        assertThat(provenance.get("seed").getAsInt()).isEqualTo(5);
        assertThat(provenance.getAsJsonObject("versions").get("engine").getAsString()).startsWith("PyTorch");
        String environment = Files.readString(run.resolve("allure-results").resolve("environment.properties"));
        assertThat(environment).contains("Model\\ fingerprint=" + fingerprint).contains("Seed=5")
                .contains(digest());
        assertThat(run.resolve("allure-results").resolve("categories.json")).exists();
        assertThat(allureResultMentioning(run, "\"name\":\"model\"", fingerprint.substring(0, 12),
                "\"name\":\"run\"")).isNotEmpty();

        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(run.resolve("junit.xml")
                .toFile());
        assertThat(junit.getDocumentElement().getAttribute("tests")).isEqualTo("3");
        assertThat(junit.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        assertThat(junit.getElementsByTagName("testcase").getLength()).isEqualTo(3);
        assertThat(junit.getElementsByTagName("failure").item(0).getTextContent()).contains("accuracy");
        assertThat(junit.getElementsByTagName("system-out").item(0).getTextContent()).contains("warning: ");
    }

    private static String digest() throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(rows.length * 3 * 4 + labels.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
            for (float v : row) {
                bytes.putFloat(v);
            }
        }
        for (int label : labels) {
            bytes.putInt(label);
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    }

    @Test
    void the_history_keeps_each_runs_metrics_and_draws_their_trend_and_survives_a_broken_file() throws IOException {
        Path spec = spec("trend.yaml", SOFT_AND_HARD);
        Path out = folder.resolve("out-trend");
        assertThat(CliRun.of("gate", spec.toString(), "--out", out.toString(), "--html").status()).isZero();
        assertThat(Files.readString(out.resolve("report.html"))).doesNotContain("trends over the last runs");
        assertThat(CliRun.of("gate", spec.toString(), "--out", out.toString(), "--html").status()).isZero();

        JsonArray history = JsonParser.parseString(Files.readString(out.resolve("history.json"))).getAsJsonArray();
        assertThat(history).hasSize(2);
        assertThat(history.get(1).getAsJsonObject().getAsJsonArray("checks").get(1).getAsJsonObject().get("value")
                .getAsDouble()).isEqualTo(json(out.resolve("summary.json")).getAsJsonArray("checks").get(1)
                .getAsJsonObject().get("value").getAsDouble());
        String report = Files.readString(out.resolve("report.html"));
        assertThat(report).contains("<h2>trends over the last runs</h2>");
        assertThat(report.substring(report.indexOf("trends over the last runs"))).contains("data:image/png;base64,");

        Files.writeString(out.resolve("history.json"), "{ not json");
        CliRun third = CliRun.of("gate", spec.toString(), "--out", out.toString());
        assertThat(third.status()).isZero();
        assertThat(json(out.resolve("summary.json")).getAsJsonArray("warnings").toString())
                .contains("could not be read").contains("starting a new history");
        assertThat(JsonParser.parseString(Files.readString(out.resolve("history.json"))).getAsJsonArray()).hasSize(1);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(f -> f.startsWith("history.json.broken-"));
        }
    }
}

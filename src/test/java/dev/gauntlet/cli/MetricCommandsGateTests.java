package dev.gauntlet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The metric commands as CI gates: one exit-code contract (0 passed, 1 the check failed, 2 bad
 * usage or input) per command and per error class, thresholds shown with their defaults, column
 * names carried into the JSON, separators declared, non-finite values written as null with a
 * reason.
 */
class MetricCommandsGateTests {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private String write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content).toString();
    }

    /** {@code rows} rows of age ~ N(40 + ageShift, 10) and income ~ N(50,000, 15,000), with a header. */
    private static String people(int rows, double ageShift, long seed, String separator) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder("age" + separator + "income\n");
        for (int i = 0; i < rows; i++) {
            text.append(String.format(Locale.ROOT, "%.2f%s%.1f%n", 40 + ageShift + 10 * random.nextGaussian(),
                    separator, 50_000 + 15_000 * random.nextGaussian()));
        }
        return text.toString();
    }

    /** Probabilities of two classes: confident and right (calibrated enough) or confident and half wrong. */
    private String[] calibrationFiles(boolean overconfident) throws IOException {
        StringBuilder p = new StringBuilder();
        StringBuilder y = new StringBuilder();
        Random random = new Random(5);
        for (int i = 0; i < 400; i++) {
            int label = i % 2;
            boolean right = overconfident ? random.nextBoolean() : random.nextDouble() < 0.9;
            int predicted = right ? label : 1 - label;
            p.append(predicted == 0 ? "0.9,0.1" : "0.1,0.9").append('\n');
            y.append(label).append('\n');
        }
        String tag = overconfident ? "over" : "ok";
        return new String[] {write("p-" + tag + ".csv", p.toString()), write("y-" + tag + ".csv", y.toString())};
    }

    /** Two well-separated classes in 2-D; {@code wrong} of the scored rows predict the other class. */
    private String[] trustFiles(int wrong) throws IOException {
        Random random = new Random(7);
        StringBuilder train = new StringBuilder();
        StringBuilder test = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            int c = i % 2;
            train.append(String.format(Locale.ROOT, "%.3f,%.3f,%d%n", c * 10 + random.nextGaussian(),
                    random.nextGaussian(), c));
        }
        for (int i = 0; i < 40; i++) {
            int c = i % 2;
            int predicted = i < wrong ? 1 - c : c;
            test.append(String.format(Locale.ROOT, "%.3f,%.3f,%d%n", c * 10 + random.nextGaussian(),
                    random.nextGaussian(), predicted));
        }
        return new String[] {write("train-" + wrong + ".csv", train.toString()),
            write("test-" + wrong + ".csv", test.toString())};
    }

    @Test
    void drift_exits_0_without_drift_1_with_it_and_2_on_bad_usage_or_input() throws IOException {
        String a = write("a.csv", people(300, 0, 1, ","));
        String same = write("same.csv", people(300, 0, 2, ","));
        String older = write("older.csv", people(300, 8, 3, ","));
        assertThat(run("drift", "--reference", a, "--current", same, "--header").status()).isZero();
        CliRun drifted = run("drift", "--reference", a, "--current", older, "--header");
        assertThat(drifted.status()).isEqualTo(1);
        assertThat(drifted.json().get("passed").getAsBoolean()).isFalse();
        assertThat(drifted.err()).contains("drift detected", "[age]");
        assertThat(run("drift", "--reference", a, "--current", older, "--header", "--test", "t").status())
                .as("bad usage").isEqualTo(2);
        assertThat(run("drift", "--reference", a, "--current", older, "--header", "--p-val", "1.5").status())
                .as("bad threshold").isEqualTo(2);
        assertThat(run("drift", "--reference", a, "--current", older).status()).as("bad input: a header undeclared")
                .isEqualTo(2);
        assertThat(run("drift", "--reference", a, "--current", dir.resolve("none.csv").toString()).status())
                .as("missing file").isEqualTo(2);
    }

    @Test
    void drift_names_each_column_and_the_drifted_ones_in_its_json() throws IOException {
        CliRun run = run("drift", "--reference", write("a.csv", people(300, 0, 1, ",")), "--current",
                write("older.csv", people(300, 8, 3, ",")), "--header");
        JsonObject json = run.json();
        assertThat(json.get("driftedFeatureNames").toString()).isEqualTo("[\"age\"]");
        JsonArray columns = json.getAsJsonArray("columns");
        assertThat(columns).hasSize(2);
        assertThat(columns.get(0).getAsJsonObject().get("name").getAsString()).isEqualTo("age");
        assertThat(columns.get(0).getAsJsonObject().get("test").getAsString()).isEqualTo("ks");
        assertThat(columns.get(0).getAsJsonObject().get("drift").getAsBoolean()).isTrue();
        assertThat(columns.get(1).getAsJsonObject().get("name").getAsString()).isEqualTo("income");
        assertThat(columns.get(1).getAsJsonObject().get("drift").getAsBoolean()).isFalse();
    }

    @Test
    void calibration_reports_only_without_max_ece_and_gates_with_it() throws IOException {
        String[] ok = calibrationFiles(false);
        String[] over = calibrationFiles(true);
        CliRun reportOnly = run("calibration", "--probabilities", over[0], "--labels", over[1]);
        assertThat(reportOnly.status()).as("no threshold: report only").isZero();
        assertThat(reportOnly.json().get("passed").getAsBoolean()).isTrue();
        assertThat(reportOnly.json().get("maxEce").isJsonNull()).isTrue();
        assertThat(reportOnly.json().get("maxEceReason").getAsString()).contains("report only");
        double ece = reportOnly.json().get("ece").getAsDouble();
        assertThat(ece).isGreaterThan(0.3);

        assertThat(run("calibration", "--probabilities", ok[0], "--labels", ok[1], "--max-ece", "0.1").status())
                .isZero();
        CliRun failed = run("calibration", "--probabilities", over[0], "--labels", over[1], "--max-ece", "0.1");
        assertThat(failed.status()).isEqualTo(1);
        assertThat(failed.json().get("passed").getAsBoolean()).isFalse();
        assertThat(failed.err()).contains("ECE", "above --max-ece 0.1");
        assertThat(run("calibration", "--probabilities", ok[0], "--labels", ok[1], "--max-ece", "2").status())
                .as("bad threshold").isEqualTo(2);
        assertThat(run("calibration", "--probabilities", ok[1], "--labels", ok[1]).status()).as("bad input")
                .isEqualTo(2);
    }

    @Test
    void calibration_writes_empty_bins_as_null_with_the_reason() throws IOException {
        String[] ok = calibrationFiles(false);
        JsonObject json = run("calibration", "--probabilities", ok[0], "--labels", ok[1]).json();
        JsonArray accuracy = json.getAsJsonArray("binAccuracy");
        assertThat(accuracy).hasSize(15);
        assertThat(accuracy.get(0).isJsonNull()).as("no confidence in [0, 1/15)").isTrue();
        for (JsonElement value : accuracy) {
            assertThat(value.isJsonNull() || value.getAsJsonPrimitive().isNumber()).as("never the string NaN")
                    .isTrue();
        }
        assertThat(json.get("binAccuracyReason").getAsString()).contains("empty bins");
    }

    @Test
    void trust_gates_on_the_mean_score_and_the_fraction_of_low_trust_predictions() throws IOException {
        String[] right = trustFiles(0);
        String[] wrong = trustFiles(10);
        CliRun reportOnly = run("trust", "--train", wrong[0], "--test", wrong[1], "--classes", "2");
        assertThat(reportOnly.status()).isZero();
        assertThat(reportOnly.json().get("gate").getAsString()).contains("report only");
        double low = reportOnly.json().get("lowTrustFraction").getAsDouble();
        assertThat(low).isEqualTo(0.25);

        assertThat(run("trust", "--train", right[0], "--test", right[1], "--classes", "2", "--min-mean-trust", "1",
                "--max-low-trust-fraction", "0.05").status()).isZero();
        CliRun fraction = run("trust", "--train", wrong[0], "--test", wrong[1], "--classes", "2",
                "--max-low-trust-fraction", "0.1");
        assertThat(fraction.status()).isEqualTo(1);
        assertThat(fraction.err()).contains("10 of 40 predictions (0.250) score below 1",
                "--max-low-trust-fraction 0.1");
        double mean = reportOnly.json().get("meanScore").getAsDouble();
        CliRun meanFails = run("trust", "--train", wrong[0], "--test", wrong[1], "--classes", "2", "--min-mean-trust",
                Double.toString(mean + 1));
        assertThat(meanFails.status()).isEqualTo(1);
        assertThat(meanFails.err()).contains("below --min-mean-trust");
        assertThat(run("trust", "--train", wrong[0], "--test", wrong[1], "--classes", "2",
                "--max-low-trust-fraction", "-1").status()).as("bad threshold").isEqualTo(2);
        assertThat(run("trust", "--train", wrong[0], "--test", wrong[1], "--classes", "1").status()).as("bad usage")
                .isEqualTo(2);
    }

    @Test
    void help_shows_every_threshold_with_its_default() {
        // help text wraps at 80 columns: compare with single spaces
        String drift = run("drift", "--help").out().replaceAll("\\s+", " ");
        assertThat(drift).contains("--p-val", "default 0.05", "--correction", "default: fdr", "--max-categories",
                "default 10", "--standardize", "--separator", "default ','", "--permutations", "default 100");
        assertThat(run("calibration", "--help").out().replaceAll("\\s+", " "))
                .contains("--max-ece", "default: none, report only", "default 15");
        assertThat(run("trust", "--help").out().replaceAll("\\s+", " ")).contains("--min-mean-trust",
                "--max-low-trust-fraction", "default: none, report only", "default 100000000");
        assertThat(run("--help").out()).contains("--verbose");
        assertThat(run("--verbose", "drift", "--help").status()).isZero();
    }

    @Test
    void a_declared_separator_splits_the_cells_and_an_undeclared_one_is_named_not_guessed() throws IOException {
        String a = write("a.csv", people(100, 0, 1, ","));
        String semicolons = write("b.csv", people(100, 0, 1, ";"));
        String tabs = write("c.tsv", people(100, 0, 1, "\t"));
        CliRun comma = run("drift", "--reference", a, "--current", a, "--header");
        CliRun semi = run("drift", "--reference", semicolons, "--current", semicolons, "--header", "--separator", ";");
        CliRun tab = run("drift", "--reference", tabs, "--current", tabs, "--header", "--separator", "tab");
        assertThat(semi.status()).as(semi.err()).isZero();
        assertThat(semi.out()).isEqualTo(comma.out());
        assertThat(tab.out()).isEqualTo(comma.out());
        CliRun undeclared = run("drift", "--reference", semicolons, "--current", semicolons, "--header");
        assertThat(undeclared.status()).isEqualTo(2);
        assertThat(undeclared.err()).contains("b.csv line 1", "';'", "--separator ';'", "never guessed");
        assertThat(run("drift", "--reference", a, "--current", a, "--separator", "::").status()).isEqualTo(2);
    }

    @Test
    void crlf_quoted_header_names_and_a_bom_are_read_as_meant() throws IOException {
        String plain = write("plain.csv", "age,\"income, EUR\"\n30,100\n40,200\n50,300\n");
        String crlf = write("crlf.csv", "\uFEFFage,\"income, EUR\"\r\n30,100\r\n\"40\",200\r\n50,300\r\n");
        CliRun run = run("drift", "--reference", plain, "--current", crlf, "--header");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.json().get("features").toString()).isEqualTo("[\"age\",\"income, EUR\"]");
        assertThat(run.json().get("pValue").getAsDouble()).isEqualTo(1.0);
    }

    @Test
    void a_broken_quote_is_named_by_line_and_column() throws IOException {
        String good = write("good.csv", "1,2\n3,4\n5,6\n");
        CliRun unclosed = run("drift", "--reference", write("open.csv", "1,2\n3,\"4\n5,6\n"), "--current", good);
        assertThat(unclosed.status()).isEqualTo(2);
        assertThat(unclosed.err()).contains("open.csv line 2, column 2", "never closed", "close the quote");
        CliRun after = run("drift", "--reference", write("after.csv", "1,2\n\"3\"x,4\n5,6\n"), "--current", good);
        assertThat(after.status()).isEqualTo(2);
        assertThat(after.err()).contains("after.csv line 2, column 1", "after a closing quote", "RFC 4180");
    }

    @Test
    void chi2_refuses_numeric_columns_naming_them_and_tests_categories() throws IOException {
        StringBuilder categories = new StringBuilder("colour,size\n");
        StringBuilder measured = new StringBuilder("colour,height\n");
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            categories.append(i % 3).append(',').append(i % 2).append('\n');
            measured.append(i % 3).append(',').append(String.format(Locale.ROOT, "%.2f", 170 + 10
                    * random.nextGaussian())).append('\n');
        }
        String cat = write("cat.csv", categories.toString());
        assertThat(run("drift", "--reference", cat, "--current", cat, "--header", "--test", "chi2").status()).isZero();
        String num = write("num.csv", measured.toString());
        CliRun refused = run("drift", "--reference", num, "--current", num, "--header", "--test", "chi2");
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.err()).contains("column 2 ('height')", "line 2", "is it numeric?", "--test ks",
                "--test mixed");
        StringBuilder ids = new StringBuilder("id\n");
        for (int i = 0; i < 200; i++) {
            ids.append(i).append('\n');
        }
        String many = write("ids.csv", ids.toString());
        CliRun tooMany = run("drift", "--reference", many, "--current", many, "--header", "--test", "chi2");
        assertThat(tooMany.status()).isEqualTo(2);
        assertThat(tooMany.err()).contains("column 1 ('id') has 200 distinct values", "--max-categories");
    }

    @Test
    void mixed_says_which_test_ran_on_which_column() throws IOException {
        StringBuilder reference = new StringBuilder("age,smoker\n");
        StringBuilder current = new StringBuilder("age,smoker\n");
        Random random = new Random(9);
        for (int i = 0; i < 300; i++) {
            // the same ages on both sides, a quarter smokers in the reference and half in the current data
            String age = String.format(Locale.ROOT, "%.1f", 40 + 10 * random.nextGaussian());
            reference.append(age).append(',').append(i % 4 == 0 ? 1 : 0).append('\n');
            current.append(age).append(',').append(i % 2 == 0 ? 1 : 0).append('\n');
        }
        String a = write("ref.csv", reference.toString());
        String b = write("cur.csv", current.toString());
        CliRun run = run("drift", "--reference", a, "--current", b, "--header", "--test", "mixed");
        assertThat(run.status()).as(run.err()).isEqualTo(1);
        JsonArray columns = run.json().getAsJsonArray("columns");
        assertThat(columns.get(0).getAsJsonObject().get("test").getAsString()).isEqualTo("ks");
        assertThat(columns.get(1).getAsJsonObject().get("test").getAsString()).isEqualTo("chi2");
        assertThat(columns.get(1).getAsJsonObject().get("chosen").getAsString()).isEqualTo("from the data");
        assertThat(run.json().get("driftedFeatureNames").toString()).isEqualTo("[\"smoker\"]");
        CliRun declared = run("drift", "--reference", a, "--current", b, "--header", "--test", "mixed", "--numeric",
                "smoker");
        assertThat(declared.json().getAsJsonArray("columns").get(1).getAsJsonObject().get("test").getAsString())
                .isEqualTo("ks");
        CliRun byNumber = run("drift", "--reference", a, "--current", b, "--header", "--test", "mixed",
                "--categorical", "2");
        assertThat(byNumber.json().getAsJsonArray("columns").get(1).getAsJsonObject().get("chosen").getAsString())
                .isEqualTo("declared");
        CliRun unknown = run("drift", "--reference", a, "--current", b, "--header", "--test", "mixed", "--categorical",
                "smokr");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("smokr", "[age, smoker]");
    }

    @Test
    void mmd_standardize_finds_the_age_shift_next_to_income_and_says_what_it_used() throws IOException {
        String a = write("a.csv", people(200, 0, 1, ","));
        String older = write("older.csv", people(200, 8, 2, ","));
        CliRun raw = run("drift", "--reference", a, "--current", older, "--header", "--test", "mmd");
        CliRun scaled = run("drift", "--reference", a, "--current", older, "--header", "--test", "mmd",
                "--standardize");
        assertThat(raw.status()).as("raw features: income swamps age").isZero();
        assertThat(raw.json().getAsJsonObject("standardization").get("by").getAsString()).isEqualTo("none");
        assertThat(scaled.status()).isEqualTo(1);
        JsonObject used = scaled.json().getAsJsonObject("standardization");
        assertThat(used.get("by").getAsString()).isEqualTo("reference mean and standard deviation");
        assertThat(used.getAsJsonArray("means").get(0).getAsDouble()).isBetween(38.0, 42.0);
        assertThat(used.getAsJsonArray("sds").get(1).getAsDouble()).isBetween(13_000.0, 17_000.0);
        assertThat(used.getAsJsonArray("constantColumns")).isEmpty();
        assertThat(run("drift", "--reference", a, "--current", older, "--header", "--standardize").status())
                .as("--standardize is for mmd").isEqualTo(2);
    }

    @Test
    void every_command_prints_json_and_exit_codes_match_its_passed_field() throws IOException {
        List<CliRun> runs = new ArrayList<>();
        String a = write("a.csv", people(100, 0, 1, ","));
        runs.add(run("drift", "--reference", a, "--current", a, "--header"));
        String[] ok = calibrationFiles(false);
        runs.add(run("calibration", "--probabilities", ok[0], "--labels", ok[1], "--max-ece", "0"));
        String[] trust = trustFiles(0);
        runs.add(run("trust", "--train", trust[0], "--test", trust[1], "--classes", "2"));
        for (CliRun run : runs) {
            assertThat(run.status()).as(run.err()).isEqualTo(run.json().get("passed").getAsBoolean() ? 0 : 1);
        }
    }
}

package dev.gauntlet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hostile and broken inputs of {@code gauntlet drift}, {@code calibration} and {@code trust}: each
 * exits 2 with a message naming the option, file, line and column, and the fix, or, where the
 * input is valid, is read as meant. No command changes its input files.
 */
class MetricCommandsBadInputTests {

    @TempDir
    Path dir;

    private final Map<Path, byte[]> inputs = new LinkedHashMap<>();

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private String write(String name, byte[] content) throws IOException {
        Path file = Files.write(dir.resolve(name), content);
        inputs.put(file, content.clone());
        return file.toString();
    }

    private String write(String name, String content) throws IOException {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void inputs_are_unchanged() throws IOException {
        for (Map.Entry<Path, byte[]> input : inputs.entrySet()) {
            assertThat(Files.readAllBytes(input.getKey())).as(input.getKey().toString()).isEqualTo(input.getValue());
        }
    }

    /** {@code rows} rows of {@code columns} Gaussian values with the given mean, one decimal per cell. */
    private static String gaussian(int rows, int columns, double mean, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                text.append(j > 0 ? "," : "").append(String.format(java.util.Locale.ROOT, "%.4f",
                        mean + j * 10 + random.nextGaussian()));
            }
            text.append('\n');
        }
        return text.toString();
    }

    private CliRun drift(String reference, String current, String... more) {
        List<String> args = new ArrayList<>(List.of("drift", "--reference", reference, "--current", current));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void a_utf8_bom_is_stripped_and_its_line_read_as_data() throws IOException {
        String rows = gaussian(50, 2, 0, 1);
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = rows.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, withBom, 0, bom.length);
        System.arraycopy(text, 0, withBom, bom.length, text.length);
        CliRun run = drift(write("bom.csv", withBom), write("plain.csv", rows));
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.json().get("referenceRows").getAsInt()).isEqualTo(50);
        assertThat(run.json().get("pValue").getAsDouble()).isEqualTo(1.0);
    }

    @Test
    void a_first_line_that_is_not_numbers_is_an_error_not_a_guessed_header() throws IOException {
        CliRun run = drift(write("typo.csv", "1.0,2.x\n" + gaussian(20, 2, 0, 1)), write("b.csv", gaussian(20, 2, 0, 2)));
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--reference", "typo.csv", "line 1, column 2", "'2.x' is not a number",
                "--header");
    }

    @Test
    void quoted_cells_are_parsed_as_rfc_4180_and_read_as_the_same_numbers() throws IOException {
        String rows = gaussian(30, 2, 0, 1);
        String quoted = rows.lines().map(l -> "\"" + l.replace(",", "\",\"") + "\"").reduce("", (a, l) -> a + l + "\n");
        String current = write("current.csv", gaussian(30, 2, 0.5, 2));
        CliRun plain = drift(write("plain.csv", rows), current);
        CliRun fromQuotes = drift(write("quoted.csv", quoted), current);
        assertThat(fromQuotes.status()).as(fromQuotes.err()).isEqualTo(plain.status());
        assertThat(fromQuotes.out()).isEqualTo(plain.out());
    }

    @Test
    void a_stray_quote_inside_a_cell_is_an_error() throws IOException {
        CliRun run = drift(write("stray.csv", "1,2\n3,4\"5\n"), write("b.csv", "1,2\n3,4\n"));
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("stray.csv", "line 2, column 2", "quote");
    }

    @Test
    void reordered_headers_are_matched_by_name() throws IOException {
        StringBuilder ab = new StringBuilder("a,b\n");
        StringBuilder ba = new StringBuilder("b,a\n");
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            double a = random.nextGaussian();
            double b = 100 + random.nextGaussian();
            ab.append(a).append(',').append(b).append('\n');
            ba.append(b).append(',').append(a).append('\n');
        }
        CliRun run = drift(write("ab.csv", ab.toString()), write("ba.csv", ba.toString()), "--header");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.json().get("pValue").getAsDouble()).isEqualTo(1.0);
        assertThat(run.json().get("features").toString()).isEqualTo("[\"a\",\"b\"]");
    }

    @Test
    void entirely_different_headers_are_an_error() throws IOException {
        CliRun run = drift(write("ab.csv", "a,b\n1,2\n3,4\n"), write("cd.csv", "c,d\n1,2\n3,4\n"), "--header");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--current", "cd.csv", "lacks column(s) [a, b]", "has column(s) [c, d]",
                "ab.csv");
    }

    @Test
    void a_missing_column_is_an_error() throws IOException {
        CliRun run = drift(write("abc.csv", "a,b,c\n1,2,3\n3,4,5\n"), write("ab.csv", "a,b\n1,2\n3,4\n"), "--header");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("ab.csv", "lacks column(s) [c]");
    }

    @Test
    void an_extra_column_is_an_error() throws IOException {
        CliRun run = drift(write("ab.csv", "a,b\n1,2\n3,4\n"), write("abc.csv", "a,b,c\n1,2,3\n3,4,5\n"), "--header");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("abc.csv", "has column(s) [c] not in");
    }

    @Test
    void without_header_a_column_count_mismatch_is_an_error() throws IOException {
        CliRun run = drift(write("two.csv", "1,2\n3,4\n"), write("three.csv", "1,2,3\n3,4,5\n"));
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("two.csv has 2 feature columns", "three.csv has 3");
    }

    @Test
    void a_declared_header_that_holds_numbers_is_an_error() throws IOException {
        CliRun run = drift(write("a.csv", "1,2\n3,4\n5,6\n"), write("b.csv", "x,y\n3,4\n5,6\n"), "--header");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--reference", "a.csv", "line 1", "only numbers", "--no-header");
    }

    @Test
    void drift_exits_1_when_detected_and_0_when_not() throws IOException {
        String reference = write("reference.csv", gaussian(100, 2, 0, 1));
        CliRun same = drift(reference, write("same.csv", gaussian(100, 2, 0, 2)));
        CliRun shifted = drift(reference, write("shifted.csv", gaussian(100, 2, 3, 3)));
        assertThat(same.status()).as(same.err()).isZero();
        assertThat(same.json().get("drift").getAsBoolean()).isFalse();
        assertThat(shifted.status()).as(shifted.err()).isEqualTo(1);
        assertThat(shifted.json().get("drift").getAsBoolean()).isTrue();
    }

    @Test
    void mmd_on_too_many_rows_is_refused_and_sample_lets_it_through() throws IOException {
        String reference = write("big-a.csv", gaussian(2600, 1, 0, 1));
        String current = write("big-b.csv", gaussian(2600, 1, 0, 2));
        CliRun refused = drift(reference, current, "--test", "mmd");
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.err()).contains("at most 5000 rows", "2600", "--sample 2500");
        CliRun sampled = drift(reference, current, "--test", "mmd", "--sample", "200");
        assertThat(sampled.status()).as(sampled.err()).isZero();
        assertThat(sampled.json().get("referenceRows").getAsInt()).isEqualTo(200);
    }

    @Test
    void a_missing_file_is_named() throws IOException {
        CliRun run = drift(dir.resolve("nowhere.csv").toString(), write("b.csv", "1,2\n"));
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--reference", "nowhere.csv", "does not exist");
    }

    @Test
    void a_directory_is_not_a_file() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder.csv"));
        CliRun run = drift(write("a.csv", "1,2\n"), folder.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--current", "folder.csv", "is a directory").doesNotContain("Is a directory");
    }

    @Test
    void bytes_that_are_not_utf8_are_named_with_their_line() throws IOException {
        byte[] latin1 = "a,b\n1,2\ncaf\u00e9,3\n".getBytes(StandardCharsets.ISO_8859_1);
        CliRun run = drift(write("latin1.csv", latin1), write("b.csv", "a,b\n1,2\n"), "--header");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("latin1.csv line 3", "0xE9", "not UTF-8").doesNotContain("Input length");
    }

    @Test
    void an_empty_file_is_named() throws IOException {
        CliRun run = drift(write("empty.csv", ""), write("b.csv", "1,2\n"));
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--reference", "empty.csv", "no data rows");
        CliRun headerOnly = drift(write("header.csv", "a,b\n"), write("c.csv", "a,b\n1,2\n"), "--header");
        assertThat(headerOnly.status()).isEqualTo(2);
        assertThat(headerOnly.err()).contains("header.csv", "a header but no data rows");
    }

    @Test
    void a_nan_cell_is_named() throws IOException {
        CliRun run = drift(write("nan.csv", "1,2\n3,NaN\n"), write("b.csv", "1,2\n3,4\n"));
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("nan.csv line 2, column 2 is NaN");
    }

    private CliRun calibration(String labels, String... more) throws IOException {
        String probabilities = write("p.csv", "0.7,0.2,0.1\n0.1,0.8,0.1\n0.3,0.3,0.4\n");
        String[] args = new String[5 + more.length];
        args[0] = "calibration";
        args[1] = "--probabilities";
        args[2] = probabilities;
        args[3] = "--labels";
        args[4] = write("y.csv", labels);
        System.arraycopy(more, 0, args, 5, more.length);
        return run(args);
    }

    @Test
    void calibration_reads_integer_labels_written_as_floats() throws IOException {
        CliRun run = calibration("0\n1.0\n2.000000000000000000e+00\n");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.json().get("accuracy").getAsDouble()).isEqualTo(1.0);
    }

    @Test
    void a_fractional_label_is_an_error_not_truncated() throws IOException {
        CliRun run = calibration("0\n2.9\n2\n");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--labels", "y.csv line 2", "label '2.9'", "not an integer");
    }

    @Test
    void a_nan_label_is_an_error_not_class_0() throws IOException {
        CliRun run = calibration("0\nNaN\n2\n");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("y.csv line 2", "label 'NaN'", "not a class index");
    }

    @Test
    void a_label_outside_the_classes_is_an_error() throws IOException {
        CliRun tooLarge = calibration("0\n1\n3\n");
        assertThat(tooLarge.status()).isEqualTo(2);
        assertThat(tooLarge.err()).contains("y.csv line 3", "label 3 is outside 0..2", "3 columns");
        CliRun negative = calibration("0\n-1\n2\n");
        assertThat(negative.status()).isEqualTo(2);
        assertThat(negative.err()).contains("y.csv line 2", "'-1'", "outside 0..classes-1");
    }

    @Test
    void labels_and_probability_rows_must_agree_in_count() throws IOException {
        CliRun run = calibration("0\n1\n");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("p.csv has 3 rows", "y.csv has 2 labels");
    }

    @Test
    void bad_probabilities_exit_2_naming_the_line() throws IOException {
        String labels = write("labels.csv", "0\n1\n");
        CliRun nan = run("calibration", "--probabilities", write("nan.csv", "0.5,0.5\nNaN,0.5\n"), "--labels", labels);
        assertThat(nan.status()).isEqualTo(2);
        assertThat(nan.err()).contains("nan.csv line 2, column 1 is NaN");
        CliRun sum = run("calibration", "--probabilities", write("sum.csv", "0.5,0.5\n0.5,0.7\n"), "--labels", labels);
        assertThat(sum.status()).isEqualTo(2);
        assertThat(sum.err()).contains("sum.csv line 2 sums to 1.2");
        CliRun logits = run("calibration", "--probabilities", write("logits.csv", "2.5,-1.5\n0.5,0.5\n"), "--labels",
                labels);
        assertThat(logits.status()).isEqualTo(2);
        assertThat(logits.err()).contains("logits.csv line 1, column 1 is 2.5, outside [0, 1]");
    }

    @Test
    void a_huge_bin_count_is_refused_before_allocating() throws IOException {
        CliRun run = calibration("0\n1\n2\n", "--bins", "2000000000");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--bins must be in 1..10000, got 2000000000");
    }

    private String labelled(String name, int rows, int classes, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            int label = i % classes;
            text.append(label + random.nextGaussian()).append(',').append(random.nextGaussian()).append(',')
                    .append(label).append('\n');
        }
        return write(name, text.toString());
    }

    @Test
    void a_huge_class_count_is_refused_before_allocating() throws IOException {
        CliRun run = run("trust", "--train", labelled("train.csv", 20, 2, 1), "--test", labelled("test.csv", 5, 2, 2),
                "--classes", "2000000000");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--classes must be in 2..100000, got 2000000000");
    }

    @Test
    void trust_refuses_too_many_row_pairs_and_sample_lets_it_through() throws IOException {
        String train = labelled("train.csv", 10_001, 2, 1);
        String test = labelled("test.csv", 10_000, 2, 2);
        CliRun refused = run("trust", "--train", train, "--test", test, "--classes", "2");
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.err()).contains("10001 x 10000", "--max-pairs 100000000", "--sample");
        CliRun sampled = run("trust", "--train", train, "--test", test, "--classes", "2", "--sample", "500");
        assertThat(sampled.status()).as(sampled.err()).isZero();
        assertThat(sampled.json().get("trainRows").getAsInt()).isEqualTo(500);
        assertThat(sampled.json().getAsJsonArray("scores")).hasSize(10_000);
    }

    @Test
    void trust_labels_must_be_class_indices() throws IOException {
        CliRun fractional = run("trust", "--train", write("train.csv", "0.1,0\n0.2,0.5\n0.3,1\n"), "--test",
                labelled("test.csv", 4, 2, 2), "--classes", "2");
        assertThat(fractional.status()).isEqualTo(2);
        assertThat(fractional.err()).contains("--train", "train.csv line 2, column 2", "'0.5'", "not an integer");
        CliRun outside = run("trust", "--train", labelled("train2.csv", 20, 2, 1), "--test",
                write("test2.csv", "0.1,0.2,0\n0.3,0.4,7\n"), "--classes", "2");
        assertThat(outside.status()).isEqualTo(2);
        assertThat(outside.err()).contains("--test", "test2.csv line 2", "label 7 is outside 0..1", "--classes");
    }

    @Test
    void trust_needs_k_training_rows_of_every_class() throws IOException {
        CliRun run = run("trust", "--train", labelled("train.csv", 20, 2, 1), "--test", labelled("test.csv", 4, 2, 2),
                "--classes", "3");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("train.csv holds 0 rows of class 2", "--classes");
    }
}

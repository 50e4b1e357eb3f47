package dev.gauntlet.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gauntlet.data.CsvReader;
import dev.gauntlet.data.DataFormatException;
import dev.gauntlet.data.DataNotFoundException;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.IdxReader;
import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.data.ValueBounds;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/** Bad data: each gets a typed exception whose message names the argument and the fix. */
class DataBadInputTests {

    @TempDir
    Path dir;

    private static Dataset.Builder rows(float[][] rows, int[] labels, int classes) {
        return Dataset.builder().setFeatures(rows).setLabels(labels).setNumClasses(classes);
    }

    @Test
    void nan_in_features() {
        assertThatThrownBy(() -> rows(new float[][] {{0f, Float.NaN}}, new int[] {0}, 2).build())
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("NaN");
    }

    @Test
    void infinity_in_features() {
        assertThatThrownBy(() -> rows(new float[][] {{Float.POSITIVE_INFINITY, 0f}}, new int[] {0}, 2).build())
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("Infinity");
    }

    @Test
    void empty_dataset() {
        assertThatThrownBy(() -> rows(new float[0][], new int[0], 2).build())
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("at least one row");
    }

    @Test
    void label_out_of_range() {
        assertThatThrownBy(() -> rows(new float[][] {{0f}, {1f}}, new int[] {0, 3}, 3).build())
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("label").hasMessageContaining("3");
    }

    @Test
    void negative_label() {
        assertThatThrownBy(() -> rows(new float[][] {{0f}}, new int[] {-1}, 2).build())
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("label");
    }

    @Test
    void labels_and_rows_differ_in_count() {
        assertThatThrownBy(() -> rows(new float[][] {{0f}, {1f}}, new int[] {0}, 2).build())
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("label");
    }

    @Test
    void ragged_rows() {
        assertThatThrownBy(() -> rows(new float[][] {{0f, 1f}, {1f}}, new int[] {0, 1}, 2).build())
                .isInstanceOf(InvalidDataException.class);
    }

    @Test
    void values_outside_the_declared_bounds() {
        assertThatThrownBy(() -> rows(new float[][] {{0.5f}, {1.5f}}, new int[] {0, 1}, 2)
                .optBounds(ValueBounds.unit()).build())
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("bounds");
    }

    @Test
    void inverted_bounds() {
        assertThatThrownBy(() -> ValueBounds.of(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower");
    }

    @Test
    void nan_bound() {
        assertThatThrownBy(() -> ValueBounds.of(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fewer_than_two_classes() {
        assertThatThrownBy(() -> rows(new float[][] {{0f}}, new int[] {0}, 1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numClasses");
    }

    @Test
    void sample_larger_than_the_dataset() {
        Dataset data = rows(new float[][] {{0f}, {1f}}, new int[] {0, 1}, 2).build();
        assertThatThrownBy(() -> data.sample(5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count");
    }

    @Test
    void missing_idx_file() {
        assertThatThrownBy(() -> IdxReader.read(dir.resolve("nope-images.gz"), dir.resolve("nope-labels.gz"), 10, "x"))
                .isInstanceOf(DataNotFoundException.class).hasMessageContaining("nope-images.gz");
    }

    @Test
    void truncated_idx_file() throws IOException {
        Path images = Files.write(dir.resolve("images.idx"), new byte[] {0, 0, 8, 3, 0, 0, 0, 5, 0, 0});
        Path labels = Files.write(dir.resolve("labels.idx"), new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 1, 2});
        assertThatThrownBy(() -> IdxReader.read(images, labels, 10, "x")).isInstanceOf(DataFormatException.class);
    }

    @Test
    void csv_cell_that_is_not_a_number() throws IOException {
        Path csv = Files.writeString(dir.resolve("bad.csv"), "0.1,0.2,1\n0.3,abc,0\n");
        assertThatThrownBy(() -> CsvReader.builder().setNumClasses(2).build().read(csv, "bad"))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("line 2");
    }

    @Test
    void csv_missing_file() {
        assertThatThrownBy(() -> CsvReader.builder().setNumClasses(2).build().read(dir.resolve("none.csv"), "none"))
                .isInstanceOf(DataNotFoundException.class).hasMessageContaining("none.csv");
    }

    /** An IDX header claiming {@code count} items of {@code rows x cols} bytes, and no data. */
    private Path bomb(String name, int magic, int count, boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        if (magic == IdxReader.IMAGES_MAGIC) {
            out.writeInt(1);
            out.writeInt(1);
        }
        Path file = dir.resolve(name);
        try (OutputStream stream = gzip ? new GZIPOutputStream(Files.newOutputStream(file))
                : Files.newOutputStream(file)) {
            stream.write(bytes.toByteArray());
        }
        return file;
    }

    private Path labels(int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(IdxReader.LABELS_MAGIC);
        out.writeInt(count);
        out.write(new byte[count]);
        return Files.write(dir.resolve("labels-" + count + ".idx"), bytes.toByteArray());
    }

    @Test
    void idx_header_claiming_two_billion_images_is_checked_against_the_file_length() throws IOException {
        Path images = bomb("bomb-images.idx", IdxReader.IMAGES_MAGIC, 2_000_000_000, false);
        assertThatThrownBy(() -> IdxReader.read(images, labels(1), 10, "bomb"))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("bomb-images.idx").hasMessageContaining("truncated")
                .hasMessageContaining("declares 2000000000 bytes").hasMessageContaining("only 0 follow");
    }

    @Test
    void gzipped_idx_header_claiming_two_billion_images_is_read_only_as_far_as_data_goes() throws IOException {
        Path images = bomb("bomb-images.idx.gz", IdxReader.IMAGES_MAGIC, 2_000_000_000, true);
        assertThatThrownBy(() -> IdxReader.read(images, labels(1), 10, "bomb"))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("bomb-images.idx.gz").hasMessageContaining("declares 2000000000 bytes")
                .hasMessageContaining("only 0 follow");
    }

    @Test
    void idx_labels_header_claiming_two_billion_labels_is_refused() throws IOException {
        Path images = Files.write(dir.resolve("images.idx"), new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0,
            1, 7});
        Path plain = bomb("bomb-labels.idx", IdxReader.LABELS_MAGIC, 2_000_000_000, false);
        Path gzipped = bomb("bomb-labels.idx.gz", IdxReader.LABELS_MAGIC, 2_000_000_000, true);
        for (Path labels : new Path[] {plain, gzipped}) {
            assertThatThrownBy(() -> IdxReader.read(images, labels, 10, "bomb"))
                    .isInstanceOf(DataFormatException.class).hasMessageContaining(labels.getFileName().toString())
                    .hasMessageContaining("declares 2000000000 bytes");
        }
    }

    @Test
    void idx_bombs_are_refused_in_a_64_mb_heap() throws Exception {
        Path labels = labels(1);
        for (boolean gzip : new boolean[] {false, true}) {
            Path images = bomb("bomb" + gzip + ".idx", IdxReader.IMAGES_MAGIC, 2_000_000_000, gzip);
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-cp", System.getProperty("java.class.path"), IdxBombProbe.class.getName(),
                    images.toString(), labels.toString()).redirectErrorStream(true).start();
            String output;
            try (var in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            System.out.printf("[gauntlet] IDX bomb (gzip %s) in -Xmx64m: %s%n", gzip, output.strip().lines()
                    .reduce((a, b) -> b).orElse(""));
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("declares 2000000000 bytes");
        }
    }

    @Test
    void csv_utf8_bom_is_not_part_of_the_first_cell() throws IOException {
        Path csv = Files.write(dir.resolve("bom.csv"), "\uFEFF0.5,1\n0.25,0\n".getBytes(StandardCharsets.UTF_8));
        Dataset data = CsvReader.builder().setNumClasses(2).build().read(csv, "bom");
        assertThat(data.size()).isEqualTo(2);
        assertThat(data.features(0)).containsExactly(0.5f);
    }

    @Test
    void csv_bytes_that_are_not_utf8_are_an_error_not_replaced() throws IOException {
        Path csv = Files.write(dir.resolve("latin1.csv"), "0.5,1\n\u00e9,0\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> CsvReader.builder().setNumClasses(2).build().read(csv, "latin1"))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("latin1.csv")
                .hasMessageContaining("not UTF-8");
    }
}

package dev.gauntlet.badinput;

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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}

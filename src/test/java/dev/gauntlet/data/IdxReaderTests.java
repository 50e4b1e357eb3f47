package dev.gauntlet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

class IdxReaderTests {

    @TempDir
    Path dir;

    @Test
    void reads_images_and_labels_scaled_to_the_unit_interval() throws IOException {
        Path images = write("images", images(3, 2, 2, new byte[] {0, (byte) 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8}), false);
        Path labels = write("labels", labels(new byte[] {9, 0, 4}), false);

        Dataset data = IdxReader.read(images, labels, 10, "tiny");

        assertThat(data.size()).isEqualTo(3);
        assertThat(data.sampleShape()).isEqualTo(new Shape(1, 2, 2));
        assertThat(data.bounds()).isEqualTo(ValueBounds.unit());
        assertThat(data.labels()).containsExactly(9, 0, 4);
        assertThat(data.features(0)).containsExactly(0f, 1f, 0.2f, 0.4f);
    }

    @Test
    void reads_gzipped_files() throws IOException {
        Path images = write("images.gz", images(1, 1, 2, new byte[] {(byte) 255, 0}), true);
        Path labels = write("labels.gz", labels(new byte[] {7}), true);
        assertThat(IdxReader.read(images, labels, 10, "gz").features(0)).containsExactly(1f, 0f);
    }

    @Test
    void swapped_files_name_the_magic_numbers() throws IOException {
        Path images = write("images", images(1, 1, 1, new byte[] {1}), false);
        Path labels = write("labels", labels(new byte[] {1}), false);
        assertThatThrownBy(() -> IdxReader.read(labels, images, 10, "swapped"))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("magic 2049").hasMessageContaining("2051").hasMessageContaining("swapped");
    }

    @Test
    void truncated_payload_and_header_are_reported() throws IOException {
        byte[] full = images(2, 2, 2, new byte[8]);
        Path images = write("short", Arrays.copyOf(full, full.length - 3), false);
        Path labels = write("labels", labels(new byte[] {1, 2}), false);
        assertThatThrownBy(() -> IdxReader.read(images, labels, 10, "t"))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("truncated")
                .hasMessageContaining("8 bytes").hasMessageContaining("only 5");
        Path header = write("header", Arrays.copyOf(full, 6), false);
        assertThatThrownBy(() -> IdxReader.read(header, labels, 10, "t"))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("IDX header");
    }

    @Test
    void counts_must_agree_and_labels_must_fit_the_classes() throws IOException {
        Path images = write("images", images(2, 1, 1, new byte[] {1, 2}), false);
        Path oneLabel = write("labels1", labels(new byte[] {1}), false);
        assertThatThrownBy(() -> IdxReader.read(images, oneLabel, 10, "t"))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("2 images").hasMessageContaining("1 labels");
        Path bigLabel = write("labels2", labels(new byte[] {1, 12}), false);
        assertThatThrownBy(() -> IdxReader.read(images, bigLabel, 10, "t"))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("label 12 of sample 1");
    }

    @Test
    void a_missing_file_is_named() {
        assertThatThrownBy(() -> IdxReader.read(dir.resolve("nope"), dir.resolve("nope2"), 10, "t"))
                .isInstanceOf(DataNotFoundException.class).hasMessageContaining("nope");
    }

    private Path write(String name, byte[] content, boolean gzip) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
        return file;
    }

    private static byte[] images(int count, int rows, int cols, byte[] pixels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(IdxReader.IMAGES_MAGIC);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        out.write(pixels);
        return bytes.toByteArray();
    }

    private static byte[] labels(byte[] values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(IdxReader.LABELS_MAGIC);
        out.writeInt(values.length);
        out.write(values);
        return bytes.toByteArray();
    }
}

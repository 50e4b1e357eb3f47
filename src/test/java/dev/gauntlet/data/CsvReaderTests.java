package dev.gauntlet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

class CsvReaderTests {

    @TempDir
    Path dir;

    private final CsvReader twoClasses = CsvReader.builder().setNumClasses(2).optHeaderLines(1).build();

    @Test
    void reads_features_and_the_last_column_as_label() throws IOException {
        Dataset data = twoClasses.read(write("a.csv", "h1,h2,label\n1.5,-2,1\n\n3,4e-1,0\n"), "a");
        assertThat(data.size()).isEqualTo(2);
        assertThat(data.featureCount()).isEqualTo(2);
        assertThat(data.features(0)).containsExactly(1.5f, -2f);
        assertThat(data.features(1)).containsExactly(3f, 0.4f);
        assertThat(data.labels()).containsExactly(1, 0);
    }

    @Test
    void reads_a_gzipped_file_with_the_label_first() throws IOException {
        Path file = dir.resolve("b.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("2;0.5;7\n0;1;1\n".getBytes(StandardCharsets.UTF_8));
        }
        Dataset data = CsvReader.builder().setNumClasses(3).optLabelColumn(0).optSeparator(';').build().read(file, "b");
        assertThat(data.labels()).containsExactly(2, 0);
        assertThat(data.features(0)).containsExactly(0.5f, 7f);
    }

    @Test
    void a_non_numeric_cell_names_its_line_and_column() throws IOException {
        Path file = write("c.csv", "x,y,l\n1,2,0\n3,abc,1\n");
        assertThatThrownBy(() -> twoClasses.read(file, "c"))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("line 3, column 2").hasMessageContaining("'abc'");
    }

    @Test
    void nan_cells_bad_labels_and_ragged_rows_are_rejected() throws IOException {
        assertThatThrownBy(() -> twoClasses.read(write("d.csv", "h\n1,NaN,0\n"), "d"))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("line 2, column 2");
        assertThatThrownBy(() -> twoClasses.read(write("e.csv", "h\n1,2,5\n"), "e"))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("label 5");
        assertThatThrownBy(() -> twoClasses.read(write("f.csv", "h\n1,2,0.5\n"), "f"))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> twoClasses.read(write("g.csv", "h\n1,2,0\n1,0\n"), "g"))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("line 3 has 2 columns");
        assertThatThrownBy(() -> twoClasses.read(write("h.csv", "header only\n"), "h"))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("no data rows");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}

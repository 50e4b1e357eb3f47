package dev.gauntlet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@link CsvReader} splits with Commons CSV: quotes, CRLF, a declared separator, quote errors located. */
class CsvReaderQuotingTests {

    @TempDir
    Path dir;

    private final CsvReader semicolons = CsvReader.builder().setNumClasses(2).optHeaderLines(1).optSeparator(';')
            .build();

    @Test
    void quoted_cells_crlf_and_a_separator_inside_a_quoted_header_are_read_as_meant() throws IOException {
        Path file = Files.writeString(dir.resolve("q.csv"),
                "\"width; cm\";\"height\";label\r\n\"1.5\";2;1\r\n3;\"0.25\";0\r\n");
        Dataset data = semicolons.read(file, "q");
        assertThat(data.features(0)).containsExactly(1.5f, 2f);
        assertThat(data.features(1)).containsExactly(3f, 0.25f);
        assertThat(data.labels()).containsExactly(1, 0);
    }

    @Test
    void an_undeclared_separator_is_named_not_guessed() throws IOException {
        Path file = Files.writeString(dir.resolve("s.csv"), "1;2;0\n3;4;1\n");
        assertThatThrownBy(() -> CsvReader.builder().setNumClasses(2).build().read(file, "s"))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("line 1 has 1 column")
                .hasMessageContaining("optSeparator(';')");
    }

    @Test
    void a_quote_never_closed_is_named_by_line_and_column() throws IOException {
        Path file = Files.writeString(dir.resolve("o.csv"), "h\n1;2;0\n3;\"4;1\n5;6;0\n");
        assertThatThrownBy(() -> semicolons.read(file, "o")).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("o.csv line 3, column 2").hasMessageContaining("never closed");
        assertThatThrownBy(() -> CsvReader.builder().setNumClasses(2).optSeparator('"'))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be a quote");
    }
}

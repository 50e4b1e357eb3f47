package dev.gauntlet.cli;

import dev.gauntlet.data.DataFormatException;
import dev.gauntlet.data.DataNotFoundException;
import dev.gauntlet.data.InvalidDataException;

import dev.gauntlet.data.CsvRecords;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A numeric CSV file as the metric commands read it: split by {@link CsvRecords} (Commons CSV:
 * RFC 4180 quotes, CRLF, strict UTF-8 with a leading BOM dropped, one declared separator), an
 * optional header line that is declared, never guessed, and one optional integer label column.
 *
 * <p>Every error is a typed exception naming the command-line option, the file, the line and the
 * column, and the fix: {@link DataNotFoundException} for a path that is not a readable file,
 * {@link DataFormatException} for text that is not such a table, {@link InvalidDataException}
 * for values that are not usable (NaN, infinity, a label that is not a class index).
 *
 * @param option the command-line option that named the file, e.g. {@code --reference}
 * @param file the file
 * @param names the header's column names (label column excluded), or {@code null} without header
 * @param rows the feature values, one row per data line
 * @param labels the label column's values, or {@code null} when there is none
 * @param lines the 1-based line where each row starts
 */
record CsvTable(String option, Path file, List<String> names, float[][] rows, int[] labels, int[] lines) {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

    /** Where the label is: none, the last column, or the only column. */
    enum Label { NONE, LAST, ONLY }

    /**
     * Reads a file.
     *
     * @param option the option that named it, for messages
     * @param file the file, plain or gzipped
     * @param header whether line 1 holds column names
     * @param label which column, if any, is an integer label
     * @param separator the cell separator
     * @return the table, at least one row
     */
    static CsvTable read(String option, Path file, boolean header, Label label, char separator) {
        String where = option + " " + file;
        if (Files.isDirectory(file)) {
            throw new DataNotFoundException(where + " is a directory; pass the CSV file inside it");
        }
        if (!Files.exists(file)) {
            throw new DataNotFoundException(where + " does not exist (relative paths start at "
                    + Path.of("").toAbsolutePath() + "); check the path");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new DataNotFoundException(where + " is not a readable file; check its type and permissions");
        }
        try (CsvRecords records = new CsvRecords(open(file), where, separator)) {
            return parse(option, file, records, header, label);
        } catch (IOException e) {
            throw new DataFormatException(where + " cannot be read (" + e.getMessage()
                    + "); if it is gzipped it may be truncated, otherwise copy it again", e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static CsvTable parse(String option, Path file, CsvRecords records, boolean header, Label label) {
        String where = option + " " + file;
        List<String> names = null;
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int width = -1;
        List<String> cells;
        while ((cells = records.next()) != null) {
            int line = records.line();
            if (width >= 0 && cells.size() != width) {
                throw new DataFormatException(where + " line " + line + " has " + cells.size() + " columns but line "
                        + (lines.isEmpty() ? 1 : lines.get(0)) + " has " + width + "; every line needs the same columns"
                        + " (quote cells that contain the separator '" + records.separator() + "')");
            }
            width = cells.size();
            if (label == Label.LAST && width < 2) {
                throw new DataFormatException(where + " line " + line + " has 1 column; a feature and a label"
                        + " column are needed, the label last");
            }
            if (label == Label.ONLY && width != 1) {
                throw new DataFormatException(where + " line " + line + " has " + width + " columns; give one"
                        + " integer label per line");
            }
            if (header && names == null) {
                names = header(where, line, cells, label, records.separator());
                continue;
            }
            int features = label == Label.NONE ? width : width - 1;
            float[] row = new float[features];
            for (int c = 0; c < features; c++) {
                row[c] = value(where, line, c, cells.get(c), header, width == 1 ? records.separator() : 0);
            }
            if (label != Label.NONE) {
                labels.add(label(where, line, width - 1, cells.get(width - 1)));
            }
            rows.add(row);
            lines.add(line);
        }
        if (rows.isEmpty()) {
            throw new InvalidDataException(where + (names == null ? " holds no data rows" : " holds a header but no"
                    + " data rows") + "; pass a file with at least one row");
        }
        return new CsvTable(option, file, names, rows.toArray(new float[0][]),
                label != Label.NONE ? labels.stream().mapToInt(Integer::intValue).toArray() : null,
                lines.stream().mapToInt(Integer::intValue).toArray());
    }

    private static List<String> header(String where, int line, List<String> cells, Label label, char separator) {
        boolean numeric = true;
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < cells.size(); c++) {
            String name = cells.get(c).strip();
            numeric &= NUMBER.matcher(name).matches();
            if (name.isEmpty()) {
                throw new DataFormatException(where + " line " + line + ", column " + (c + 1) + ": the header"
                        + " names no column; name every column, or pass --no-header if the file has no header");
            }
            if (!seen.add(name)) {
                throw new DataFormatException(where + " line " + line + ", column " + (c + 1) + ": column name '"
                        + name + "' appears twice in the header; columns are matched by name, so make them unique");
            }
        }
        String other = cells.size() == 1 ? CsvRecords.otherSeparatorIn(cells.get(0), separator) : null;
        if (other != null) {
            throw new DataFormatException(where + " line " + line + ": the header is one column '"
                    + abbreviate(cells.get(0)) + "' that holds " + other + "; if that separates the cells, pass"
                    + " --separator " + other + " (the separator is never guessed)");
        }
        if (numeric) {
            throw new DataFormatException(where + " line " + line + " should be the header (--header) but holds only"
                    + " numbers: " + abbreviate(String.join(",", cells)) + "; pass --no-header if the file has no"
                    + " header line");
        }
        List<String> names = cells.stream().map(String::strip).toList();
        return label == Label.NONE ? names : names.subList(0, names.size() - 1);
    }

    private static float value(String where, int line, int column, String cell, boolean header, char separator) {
        String text = cell.strip();
        if (text.indexOf('"') >= 0) {
            throw new DataFormatException(where + " line " + line + ", column " + (column + 1) + ": a quote inside a"
                    + " cell; quote the whole cell and double inner quotes (RFC 4180)");
        }
        String other = separator == 0 ? null : CsvRecords.otherSeparatorIn(text, separator);
        if (other != null) {
            throw new DataFormatException(where + " line " + line + " is one column '" + abbreviate(text) + "' that"
                    + " holds " + other + "; if that separates the cells, pass --separator " + other
                    + " (the separator is never guessed)");
        }
        if (NON_FINITE.matcher(text).matches()) {
            throw new InvalidDataException(where + " line " + line + ", column " + (column + 1) + " is " + text
                    + "; impute or drop non-finite values first");
        }
        if (!NUMBER.matcher(text).matches()) {
            throw new DataFormatException(where + " line " + line + ", column " + (column + 1) + ": '"
                    + abbreviate(text) + "' is not a number" + (line == 1 && !header
                    ? "; if line 1 holds column names, pass --header" : "; clean the file or impute missing values"));
        }
        float value = Float.parseFloat(text);
        if (!Float.isFinite(value)) {
            throw new InvalidDataException(where + " line " + line + ", column " + (column + 1) + ": " + text
                    + " is beyond the float range; rescale the column");
        }
        return value;
    }

    private static int label(String where, int line, int column, String cell) {
        String text = cell.strip();
        String at = where + " line " + line + ", column " + (column + 1) + ": label '" + abbreviate(text) + "'";
        if (NON_FINITE.matcher(text).matches() || !NUMBER.matcher(text).matches()) {
            throw new DataFormatException(at + " is not a class index; labels are integers 0..classes-1");
        }
        double value = Double.parseDouble(text);
        if (value != Math.rint(value)) {
            throw new DataFormatException(at + " is not an integer; labels are class indices 0..classes-1, not"
                    + " scores or probabilities");
        }
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new InvalidDataException(at + " is outside 0..classes-1; map the classes to 0..classes-1 first");
        }
        return (int) value;
    }

    /**
     * Checks that every label is below the class count.
     *
     * @param classes the number of classes
     * @param fix what to do about a label that is too large
     */
    void checkLabels(int classes, String fix) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classes) {
                throw new InvalidDataException(option + " " + file + " line " + lines[i] + ": label " + labels[i]
                        + " is outside 0.." + (classes - 1) + "; " + fix);
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}

package dev.gauntlet.cli;

import dev.gauntlet.data.DataFormatException;
import dev.gauntlet.data.DataNotFoundException;
import dev.gauntlet.data.InvalidDataException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A numeric CSV file as the metric commands read it: strict UTF-8 (a leading BOM is dropped),
 * RFC 4180 quoting, an optional header line that is declared, never guessed, and one optional
 * integer label column.
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

    /** The longest cell accepted: numbers and column names are short, a runaway quote is not. */
    static final int MAX_CELL = 10_000;

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
     * @return the table, at least one row
     */
    static CsvTable read(String option, Path file, boolean header, Label label) {
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
        try (InputStream in = open(file)) {
            return parse(option, file, new Records(in, where), header, label);
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

    private static CsvTable parse(String option, Path file, Records records, boolean header, Label label)
            throws IOException {
        String where = option + " " + file;
        List<String> names = null;
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int width = -1;
        List<String> cells;
        while ((cells = records.next()) != null) {
            int line = records.recordLine;
            if (cells.size() == 1 && cells.get(0).isBlank() && !records.quoted) {
                continue;
            }
            if (width >= 0 && cells.size() != width) {
                throw new DataFormatException(where + " line " + line + " has " + cells.size() + " columns but line "
                        + (lines.isEmpty() ? 1 : lines.get(0)) + " has " + width + "; every line needs the same columns"
                        + " (quote cells that contain commas)");
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
                names = header(where, line, cells, label);
                continue;
            }
            int features = label == Label.NONE ? width : width - 1;
            float[] row = new float[features];
            for (int c = 0; c < features; c++) {
                row[c] = value(where, line, c, cells.get(c), header);
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

    private static List<String> header(String where, int line, List<String> cells, Label label) {
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
        if (numeric) {
            throw new DataFormatException(where + " line " + line + " should be the header (--header) but holds only"
                    + " numbers: " + abbreviate(String.join(",", cells)) + "; pass --no-header if the file has no"
                    + " header line");
        }
        List<String> names = cells.stream().map(String::strip).toList();
        return label == Label.NONE ? names : names.subList(0, names.size() - 1);
    }

    private static float value(String where, int line, int column, String cell, boolean header) {
        String text = cell.strip();
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

    /** Splits strictly decoded UTF-8 text into RFC 4180 records, counting lines. */
    private static final class Records {

        private final InputStream in;
        private final String where;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
        private final CharBuffer chars = CharBuffer.allocate(1 << 16).flip();
        private boolean eof;
        private boolean started;
        private int line = 1;
        private int pending = -2;
        int recordLine;
        boolean quoted;

        Records(InputStream in, String where) {
            this.in = in;
            this.where = where;
        }

        /** The next record's cells, or null at the end; a blank line is one blank cell. */
        List<String> next() throws IOException {
            int c = read();
            if (c < 0) {
                return null;
            }
            recordLine = line;
            quoted = false;
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean inQuotes = false;
            boolean afterQuote = false;
            int quoteLine = 0;
            while (true) {
                if (c < 0) {
                    if (inQuotes) {
                        throw new DataFormatException(where + " line " + quoteLine + ", column " + (cells.size() + 1)
                                + ": a quoted cell is never closed; close the quote or remove it");
                    }
                    break;
                }
                if (inQuotes) {
                    if (c == '"') {
                        int after = read();
                        if (after == '"') {
                            cell.append('"');
                        } else {
                            inQuotes = false;
                            afterQuote = true;
                            c = after;
                            continue;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        cell.append((char) c);
                    }
                } else if (c == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                    afterQuote = false;
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r') {
                        int after = read();
                        if (after != '\n') {
                            pending = after;
                        }
                    }
                    line++;
                    break;
                } else if (c == '"') {
                    if (afterQuote || !cell.toString().isBlank()) {
                        throw new DataFormatException(where + " line " + line + ", column " + (cells.size() + 1)
                                + ": a quote inside a cell; quote the whole cell and double inner quotes (RFC 4180)");
                    }
                    cell.setLength(0);
                    inQuotes = true;
                    quoted = true;
                    quoteLine = line;
                } else if (afterQuote) {
                    if (!Character.isWhitespace(c)) {
                        throw new DataFormatException(where + " line " + line + ", column " + (cells.size() + 1)
                                + ": text after a closing quote; quote the whole cell (RFC 4180)");
                    }
                } else {
                    cell.append((char) c);
                }
                if (cell.length() > MAX_CELL) {
                    throw new DataFormatException(where + " line " + (inQuotes ? quoteLine : line) + ", column "
                            + (cells.size() + 1) + " is longer than " + MAX_CELL + " characters; "
                            + (inQuotes ? "a quote is probably never closed" : "is the file a numeric CSV?"));
                }
                c = read();
            }
            cells.add(cell.toString());
            return cells;
        }

        private int read() throws IOException {
            if (pending != -2) {
                int c = pending;
                pending = -2;
                return c;
            }
            if (!chars.hasRemaining() && refill() == 0) {
                return -1;
            }
            char c = chars.get();
            if (!started) {
                started = true;
                if (c == '\uFEFF') {
                    return read();
                }
            }
            return c;
        }

        private int refill() throws IOException {
            chars.clear();
            while (true) {
                CoderResult result = decoder.decode(bytes, chars, eof);
                if (result.isError()) {
                    if (chars.position() > 0) {
                        break;
                    }
                    throw new DataFormatException(String.format(Locale.ROOT, "%s line %d: byte 0x%02X is not UTF-8;"
                            + " save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)", where,
                            line, bytes.get(bytes.position()) & 0xff));
                }
                if (result.isOverflow() || chars.position() > 0 || eof) {
                    break;
                }
                bytes.compact();
                int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
                if (n < 0) {
                    eof = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
            }
            chars.flip();
            return chars.remaining();
        }
    }
}

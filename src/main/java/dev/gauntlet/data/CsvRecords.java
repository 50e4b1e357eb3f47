package dev.gauntlet.data;


import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The records of a CSV text as {@link CsvReader} and the
 * command line read them: split by Apache Commons CSV (RFC 4180 quotes, doubled inner quotes,
 * CRLF, LF or CR line ends, one declared separator that is never guessed), decoded as strict UTF-8
 * (a leading byte-order mark is dropped; other bytes are reported with their line, never replaced),
 * blank lines skipped, spaces around cells ignored.
 *
 * <p>Every error is a {@link DataFormatException} that names the source, the line and, where the
 * parser lets it be found, the column, and says what to do. Commons CSV reports a malformed quote
 * by character position only; the last {@value #WINDOW} characters are kept to turn that into a
 * line and column.
 */
public final class CsvRecords implements Closeable {

    /** The longest cell accepted: numbers and column names are short, a runaway quote is not. */
    public static final int MAX_CELL = 10_000;
    /** How many recent characters are kept to locate a parse error. */
    static final int WINDOW = 1 << 16;

    private static final Pattern POSITION = Pattern.compile("position: (\\d+)");
    private static final Pattern START_LINE = Pattern.compile("startline (\\d+)");

    private final String where;
    private final char separator;
    private final StrictReader reader;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private long linesBefore;
    private int line;

    /**
     * Starts reading CSV text.
     *
     * @param in UTF-8 bytes (already un-gzipped); closed by {@link #close()}
     * @param where how messages name the source, e.g. {@code --reference a.csv}
     * @param separator the cell separator; not a quote or line break
     */
    public CsvRecords(InputStream in, String where, char separator) {
        checkSeparator(separator);
        this.where = where;
        this.separator = separator;
        this.reader = new StrictReader(in, where);
        CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(separator).setIgnoreEmptyLines(false)
                .setIgnoreSurroundingSpaces(true).get();
        try {
            this.parser = CSVParser.builder().setReader(reader).setFormat(format).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.records = parser.iterator();
    }

    /**
     * Checks that a character can separate cells.
     *
     * @param separator the candidate
     * @throws IllegalArgumentException for a quote or a line break
     */
    public static void checkSeparator(char separator) {
        if (separator == '"' || separator == '\n' || separator == '\r') {
            throw new IllegalArgumentException("the separator cannot be a quote or a line break, got '"
                    + printable(separator) + "'; pass ',', ';', '\\t' or '|'");
        }
    }

    /**
     * Returns the next record that is not a blank line.
     *
     * @return its cells, or {@code null} at the end
     * @throws DataFormatException for a malformed quote, an overlong cell or bytes that are not UTF-8
     */
    public List<String> next() {
        while (true) {
            CSVRecord record;
            try {
                if (!records.hasNext()) {
                    return null;
                }
                record = records.next();
            } catch (UncheckedIOException e) {
                throw malformed(e.getCause());
            }
            line = (int) Math.min(Integer.MAX_VALUE, linesBefore + 1);
            linesBefore = Math.max(linesBefore + 1, parser.getCurrentLineNumber());
            List<String> cells = record.toList();
            if (cells.size() == 1 && cells.get(0).isBlank()) {
                continue;
            }
            for (int c = 0; c < cells.size(); c++) {
                if (cells.get(c).length() > MAX_CELL) {
                    throw new DataFormatException(where + " line " + line + ", column " + (c + 1) + " is longer than "
                            + MAX_CELL + " characters; a quote is probably never closed, or the file is not a numeric"
                            + " CSV");
                }
            }
            return cells;
        }
    }

    /**
     * Returns the line where the last record returned by {@link #next()} starts.
     *
     * @return the 1-based line
     */
    public int line() {
        return line;
    }

    /**
     * Returns the separator.
     *
     * @return the cell separator
     */
    public char separator() {
        return separator;
    }

    /**
     * Names another common separator found in a one-column cell, to suggest when a file seems to
     * use it; the separator itself is never guessed.
     *
     * @param cell a cell
     * @param separator the declared separator
     * @return e.g. {@code ';'}, or {@code null} when the cell holds none
     */
    public static String otherSeparatorIn(String cell, char separator) {
        for (char candidate : new char[] {',', ';', '\t', '|'}) {
            if (candidate != separator && cell.indexOf(candidate) >= 0) {
                return "'" + printable(candidate) + "'";
            }
        }
        return null;
    }

    private static String printable(char c) {
        return switch (c) {
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            default -> String.valueOf(c);
        };
    }

    private DataFormatException malformed(Throwable cause) {
        if (cause instanceof DataFormatException format) {
            return format;
        }
        String message = String.valueOf(cause == null ? null : cause.getMessage());
        Matcher start = START_LINE.matcher(message);
        if (message.contains("EOF reached before encapsulated token finished") && start.find()) {
            int at = Integer.parseInt(start.group(1));
            int column = reader.unclosedQuoteColumn(at, separator);
            return new DataFormatException(where + " line " + at + (column > 0 ? ", column " + column : "")
                    + ": a quoted cell is never closed; close the quote or remove it", cause);
        }
        Matcher position = POSITION.matcher(message);
        if (position.find()) {
            long[] at = reader.locate(Long.parseLong(position.group(1)) - 1, separator);
            if (at != null) {
                return new DataFormatException(where + " line " + at[0] + ", column " + at[1] + ": text after a"
                        + " closing quote; quote the whole cell and double inner quotes (RFC 4180)", cause);
            }
        }
        return new DataFormatException(where + " after line " + linesBefore + " cannot be split into cells ("
                + message + "); quote whole cells and double inner quotes (RFC 4180)", cause);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    /**
     * Strict UTF-8 decoding that drops a leading BOM, counts lines and keeps the last characters to
     * locate parse errors.
     */
    private static final class StrictReader extends Reader {

        private final InputStream in;
        private final String where;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
        private final CharBuffer chars = CharBuffer.allocate(1 << 16).flip();
        private final char[] window = new char[WINDOW];
        /** Characters delivered so far (after the BOM). */
        private long delivered;
        /** Line breaks among the delivered characters; a CRLF counts once. */
        private long lines;
        private char last;
        private boolean eof;
        private boolean started;

        StrictReader(InputStream in, String where) {
            this.in = in;
            this.where = where;
        }

        @Override
        public int read(char[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!chars.hasRemaining() && refill() == 0) {
                return -1;
            }
            if (!started) {
                started = true;
                if (chars.get(chars.position()) == '\uFEFF') {
                    chars.get();
                    if (!chars.hasRemaining() && refill() == 0) {
                        return -1;
                    }
                }
            }
            int n = Math.min(length, chars.remaining());
            chars.get(target, offset, n);
            for (int i = offset; i < offset + n; i++) {
                char c = target[i];
                if (c == '\n' && last != '\r' || c == '\r') {
                    lines++;
                }
                last = c;
                window[(int) (delivered++ % WINDOW)] = c;
            }
            return n;
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
                            lines + 1, bytes.get(bytes.position()) & 0xff));
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

        private boolean kept(long index) {
            return index >= 0 && index < delivered && delivered - index <= WINDOW;
        }

        private char at(long index) {
            return window[(int) (index % WINDOW)];
        }

        /**
         * The line and column of the character at {@code index}, or null when it is no longer kept:
         * the line counted back from the delivered end, the column by separators since the line start.
         */
        long[] locate(long index, char separator) {
            if (!kept(index)) {
                return null;
            }
            long breaksAfter = 0;
            for (long i = delivered - 1; i > index; i--) {
                if (isBreak(i)) {
                    breaksAfter++;
                }
            }
            long start = index;
            while (kept(start - 1) && at(start - 1) != '\n' && at(start - 1) != '\r') {
                start--;
            }
            return new long[] {lines - breaksAfter + 1, column(start, index, separator)};
        }

        /** The 1-based column of the quote left open on line {@code line}, or 0 when it is no longer kept. */
        int unclosedQuoteColumn(int line, char separator) {
            long current = lines + 1;
            long i = delivered;
            while (current >= line) {
                i--;
                if (i < 0 && line == 1) {
                    break;
                }
                if (!kept(i)) {
                    return 0;
                }
                if (isBreak(i)) {
                    current--;
                }
            }
            int column = 1;
            boolean quoted = false;
            int opened = 0;
            for (long j = i + 1; j < delivered; j++) {
                char c = at(j);
                if (c == '"') {
                    if (!quoted) {
                        opened = column;
                    }
                    quoted = !quoted;
                } else if (!quoted && c == separator) {
                    column++;
                } else if (!quoted && (c == '\n' || c == '\r')) {
                    return 0;
                }
            }
            return quoted ? opened : 0;
        }

        private boolean isBreak(long i) {
            char c = at(i);
            return c == '\r' || c == '\n' && !(kept(i - 1) && at(i - 1) == '\r');
        }

        private long column(long start, long end, char separator) {
            long column = 1;
            boolean quoted = false;
            for (long i = start; i < end; i++) {
                char c = at(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && c == separator) {
                    column++;
                }
            }
            return column;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

package dev.gauntlet.data;


import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a numeric CSV file (gzipped or not) with one integer label column into a {@link Dataset}.
 *
 * <pre>{@code
 * Dataset cancer = CsvReader.builder()
 *         .optHeaderLines(1)
 *         .optLabelColumn(-1)        // the last column (the default)
 *         .setNumClasses(2)
 *         .build()
 *         .read(Path.of("breast-cancer.csv"), "breast-cancer");
 * }</pre>
 *
 * <p>Cells are split by Apache Commons CSV: RFC 4180 quotes (a quoted cell may hold the separator),
 * CRLF, LF or CR line ends, and the one separator given ({@code ','} unless
 * {@link Builder#optSeparator(char)} says otherwise; it is never guessed). Every other cell must
 * parse as a finite number; the first bad cell is reported with its 1-based line and column. Blank
 * lines are skipped; header lines are the first {@code optHeaderLines} physical lines. The text
 * must be UTF-8 (a leading byte-order mark is dropped); other bytes are reported with their line,
 * not replaced.
 */
public final class CsvReader {

    private final int headerLines;
    private final int labelColumn;
    private final int numClasses;
    private final char separator;
    private final ValueBounds bounds;

    private CsvReader(Builder builder) {
        this.headerLines = builder.headerLines;
        this.labelColumn = builder.labelColumn;
        this.numClasses = builder.numClasses;
        this.separator = builder.separator;
        this.bounds = builder.bounds;
    }

    /**
     * Starts a reader builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a file.
     *
     * @param file the CSV file, optionally gzipped
     * @param name the dataset name for reports
     * @return the dataset, with sample shape {@code (columns - 1)}
     * @throws DataNotFoundException if the file is missing
     * @throws DataFormatException if a cell is not a number, a label not an integer, or rows differ in width
     * @throws InvalidDataException if a label is out of range or a value is not finite
     */
    public Dataset read(Path file, String name) {
        try (InputStream raw = DataFiles.open(file, "file")) {
            return read(raw, file.toString(), name);
        } catch (IOException e) {
            throw new DataFormatException("cannot read CSV file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads CSV text from a stream (for example a classpath resource); the stream is not closed.
     *
     * @param in the (un-gzipped) CSV text
     * @param source how to name the source in error messages
     * @param name the dataset name for reports
     * @return the dataset
     * @throws IOException if the stream cannot be read
     */
    public Dataset read(InputStream in, String source, String name) throws IOException {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int width = -1;
        int label = -1;
        // the caller closes the stream: CsvRecords' close would close it
        CsvRecords records = new CsvRecords(new FilterInputStream(in) {
            @Override
            public void close() {}
        }, source, separator);
        List<String> cells;
        while ((cells = records.next()) != null) {
            int lineNumber = records.line();
            if (lineNumber <= headerLines) {
                continue;
            }
            if (width < 0) {
                width = cells.size();
                if (width < 2) {
                    String other = CsvRecords.otherSeparatorIn(cells.get(0), separator);
                    throw new DataFormatException(source + " line " + lineNumber + " has 1 column; a feature and a"
                            + " label column are needed" + (other == null ? "" : "; the line holds " + other
                            + ": if that separates the cells, pass optSeparator(" + other + ")"));
                }
                label = labelColumn < 0 ? width + labelColumn : labelColumn;
                if (label < 0 || label >= width) {
                    throw new IllegalArgumentException("labelColumn " + labelColumn + " is outside the "
                            + width + " columns of " + source);
                }
            } else if (cells.size() != width) {
                throw new DataFormatException(source + " line " + lineNumber + " has " + cells.size()
                        + " columns but the first data line has " + width + "; every line needs the same columns"
                        + " (quote cells that contain the separator '" + separator + "')");
            }
            float[] row = new float[width - 1];
            for (int c = 0, f = 0; c < width; c++) {
                String cell = cells.get(c).trim();
                if (c == label) {
                    labels.add(parseLabel(cell, source, lineNumber, c));
                } else {
                    row[f++] = parseValue(cell, source, lineNumber, c);
                }
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new InvalidDataException(source + " holds no data rows after " + headerLines + " header line(s)");
        }
        return Dataset.builder()
                .setFeatures(rows.toArray(new float[0][]))
                .setLabels(labels.stream().mapToInt(Integer::intValue).toArray())
                .setNumClasses(numClasses)
                .optBounds(bounds)
                .optName(name)
                .build();
    }

    private static float parseValue(String cell, String source, int line, int column) {
        float value;
        try {
            value = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            throw new DataFormatException(source + " line " + line + ", column " + (column + 1) + ": '" + cell
                    + "' is not a number; clean the file or impute missing values first", e);
        }
        if (!Float.isFinite(value)) {
            throw new InvalidDataException(source + " line " + line + ", column " + (column + 1) + " is " + cell
                    + "; impute or drop non-finite values before testing");
        }
        return value;
    }

    private static int parseLabel(String cell, String source, int line, int column) {
        try {
            return Integer.parseInt(cell);
        } catch (NumberFormatException e) {
            throw new DataFormatException(source + " line " + line + ", column " + (column + 1) + ": label '" + cell
                    + "' is not an integer class index; map class names to 0..numClasses-1 first", e);
        }
    }

    /** Configures a {@link CsvReader}; {@code setNumClasses} is required. */
    public static final class Builder {

        private int headerLines;
        private int labelColumn = -1;
        private int numClasses = -1;
        private char separator = ',';
        private ValueBounds bounds = ValueBounds.unbounded();

        private Builder() {}

        /**
         * Sets the number of classes.
         *
         * @param count at least 2
         * @return this builder
         */
        public Builder setNumClasses(int count) {
            this.numClasses = count;
            return this;
        }

        /**
         * Sets how many lines to skip at the top; 0 by default.
         *
         * @param count lines before the first data row
         * @return this builder
         */
        public Builder optHeaderLines(int count) {
            this.headerLines = count;
            return this;
        }

        /**
         * Sets the 0-based label column; negative values count from the end. -1 (the last) by default.
         *
         * @param column the label column
         * @return this builder
         */
        public Builder optLabelColumn(int column) {
            this.labelColumn = column;
            return this;
        }

        /**
         * Sets the cell separator; ',' by default.
         *
         * @param cellSeparator the separator
         * @return this builder
         */
        public Builder optSeparator(char cellSeparator) {
            CsvRecords.checkSeparator(cellSeparator);
            this.separator = cellSeparator;
            return this;
        }

        /**
         * Sets the bounds of the feature values; unbounded by default.
         *
         * @param valueBounds the bounds
         * @return this builder
         */
        public Builder optBounds(ValueBounds valueBounds) {
            this.bounds = Objects.requireNonNull(valueBounds, "bounds");
            return this;
        }

        /**
         * Validates the configuration.
         *
         * @return the reader
         */
        public CsvReader build() {
            if (numClasses < 2) {
                throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses + "; call setNumClasses(...)");
            }
            if (headerLines < 0) {
                throw new IllegalArgumentException("headerLines must be >= 0, got " + headerLines);
            }
            return new CsvReader(this);
        }
    }
}

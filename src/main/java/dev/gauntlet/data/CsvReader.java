package dev.gauntlet.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
 * <p>Every other cell must parse as a finite number; the first bad cell is reported with its
 * 1-based line and column. Blank lines are skipped. The text must be UTF-8 (a leading byte-order
 * mark is dropped); other bytes are reported with their line, not replaced.
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
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int width = -1;
        int label = -1;
        String line;
        int lineNumber = 0;
        while ((line = readLine(reader, source, lineNumber)) != null) {
            lineNumber++;
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (lineNumber <= headerLines || line.isBlank()) {
                continue;
            }
            String[] cells = split(line);
            if (width < 0) {
                width = cells.length;
                if (width < 2) {
                    throw new DataFormatException(source + " line " + lineNumber + " has " + width
                            + " column; a feature and a label column are needed (is the separator '" + separator + "'?)");
                }
                label = labelColumn < 0 ? width + labelColumn : labelColumn;
                if (label < 0 || label >= width) {
                    throw new IllegalArgumentException("labelColumn " + labelColumn + " is outside the "
                            + width + " columns of " + source);
                }
            } else if (cells.length != width) {
                throw new DataFormatException(source + " line " + lineNumber + " has " + cells.length
                        + " columns but the first data line has " + width);
            }
            float[] row = new float[width - 1];
            for (int c = 0, f = 0; c < width; c++) {
                String cell = cells[c].trim();
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

    private static String readLine(BufferedReader reader, String source, int linesRead) throws IOException {
        try {
            return reader.readLine();
        } catch (CharacterCodingException e) {
            // the decoder reads ahead, so the bad bytes are at or after the next line
            throw new DataFormatException(source + " holds bytes that are not UTF-8 at or after line " + (linesRead + 1)
                    + "; save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)", e);
        }
    }

    private String[] split(String line) {
        return line.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1);
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

package dev.gauntlet.report;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A table of text cells, attached as CSV (Allure shows it as a table).
 *
 * @param title the attachment name
 * @param columns the header
 * @param rows the rows, each as wide as the header
 */
public record Table(String title, List<String> columns, List<List<String>> rows) {

    /**
     * Validates and copies the table.
     *
     * @throws IllegalArgumentException if a row's width differs from the header's
     */
    public Table {
        Objects.requireNonNull(title, "title");
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).size() != columns.size()) {
                throw new IllegalArgumentException("row " + i + " has " + rows.get(i).size() + " cells but the header has "
                        + columns.size());
            }
        }
    }

    /**
     * Renders the table as RFC 4180 CSV.
     *
     * @return the CSV text
     */
    public String toCsv() {
        StringBuilder csv = new StringBuilder(line(columns));
        rows.forEach(row -> csv.append(line(row)));
        return csv.toString();
    }

    private static String line(List<String> cells) {
        return cells.stream().map(Table::quote).collect(Collectors.joining(",")) + "\r\n";
    }

    private static String quote(String cell) {
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n")
                ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }
}

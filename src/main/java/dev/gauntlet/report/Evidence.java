package dev.gauntlet.report;


import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a check records why it passed or failed: steps with parameters, metrics as JSON, and
 * pictures — charts, image grids — a person would rather look at than read.
 *
 * <p>Checks record their evidence <em>before</em> their assertion can fail, through
 * {@link #current()}: the sink an {@link EvidenceSource} finds for the running test — the Allure
 * sink while an Allure-reported test is running (Allure's {@code allure-java-commons} on the
 * classpath) — otherwise a no-op that costs nothing, so the core runs without Allure. An implementation provides three primitives — {@link #step},
 * {@link #attach} and {@link #label} — and inherits the rest.
 */
public interface Evidence {

    /**
     * Returns the sink for the test running on this thread: the first {@link EvidenceSource}'s
     * (Allure's when it is reporting one), otherwise {@link #none()}.
     *
     * @return the current evidence sink
     */
    static Evidence current() {
        return EvidenceSources.current();
    }

    /**
     * Returns the sink that records nothing.
     *
     * @return the no-op sink
     */
    static Evidence none() {
        return NoEvidence.INSTANCE;
    }

    /**
     * Runs {@code body} as a named step with its parameters; the step fails if the body throws.
     *
     * @param name the step name, e.g. the check's name
     * @param parameters the check's parameters, shown with the step
     * @param body the work of the step
     * @param <T> the body's result type
     * @return the body's result
     */
    <T> T step(String name, Map<String, ?> parameters, Supplier<T> body);

    /**
     * Attaches a file to the current step or test.
     *
     * @param name the attachment name
     * @param mimeType e.g. {@code image/png}
     * @param extension the file extension without dot, e.g. {@code png}
     * @param content the bytes
     */
    void attach(String name, String mimeType, String extension, byte[] content);

    /**
     * Labels the current test, e.g. with the model's fingerprint, engine, device and dataset.
     *
     * @param name the label name
     * @param value the label value
     */
    void label(String name, String value);

    /**
     * Records a warning: a soft bar that was missed. The test does not fail; the warning is printed on the
     * console ({@code gauntlet: warning: ...} on standard error) and, where a report is recorded, shown in it.
     *
     * @param message what was missed, as the failure message would say it
     */
    default void warning(String message) {
        System.err.println("gauntlet: warning: " + message.strip().replace("\n", "\n  "));
    }

    /**
     * Tells whether anything is recorded; checks skip drawing pictures when nothing is.
     *
     * @return {@code true} unless this is the no-op sink
     */
    default boolean isRecording() {
        return true;
    }

    /**
     * Attaches a metric set as JSON.
     *
     * @param name the attachment name
     * @param values metric names to numbers, strings, booleans, arrays, lists or nested maps
     */
    default void metrics(String name, Map<String, ?> values) {
        if (isRecording()) {
            attach(name, "application/json", "json", Json.write(values).getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Attaches a check's parameters and what it measured as one metric set: the parameters first,
     * then the measured values, a measured value replacing a parameter of the same name.
     *
     * @param name the attachment name
     * @param parameters the check's parameters
     * @param measured the measured values, e.g. a report's {@code toMap()}
     */
    default void metrics(String name, Map<String, ?> parameters, Map<String, ?> measured) {
        Map<String, Object> values = new LinkedHashMap<>(parameters);
        values.putAll(measured);
        metrics(name, values);
    }

    /**
     * Attaches a line chart as PNG.
     *
     * @param chart the chart
     */
    default void chart(LineChart chart) {
        if (isRecording()) {
            attach(chart.title(), "image/png", "png", chart.png());
        }
    }

    /**
     * Attaches a bar chart as PNG.
     *
     * @param chart the chart
     */
    default void chart(BarChart chart) {
        if (isRecording()) {
            attach(chart.title(), "image/png", "png", chart.png());
        }
    }

    /**
     * Attaches an image grid (e.g. original | perturbation | adversarial) as PNG.
     *
     * @param grid the grid
     */
    default void imageGrid(ImageGrid grid) {
        if (isRecording()) {
            attach(grid.title(), "image/png", "png", grid.png());
        }
    }

    /**
     * Attaches a table as CSV, which Allure shows as a table.
     *
     * @param table the table
     */
    default void table(Table table) {
        if (isRecording()) {
            attach(table.title(), "text/csv", "csv", table.toCsv().getBytes(StandardCharsets.UTF_8));
        }
    }
}

package dev.gauntlet.report.allure;

import ai.djl.engine.Engine;

import dev.gauntlet.report.LineChart;
import dev.gauntlet.report.Verdicts;

import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.TestResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes, once per results folder and JVM, the files Allure's report reads besides the results:
 * {@code categories.json} (how failures are sorted: robustness regression, calibration, drift,
 * explanation instability, broken check) and {@code environment.properties} (Java, engine,
 * operating system). Does nothing when Allure is not on the classpath.
 */
public final class AllureResults {

    private static final Set<Path> PREPARED = ConcurrentHashMap.newKeySet();

    private AllureResults() {}

    /**
     * Prepares a results folder.
     *
     * @param dir the Allure results folder
     */
    public static void prepare(Path dir) {
        prepare(dir, Map.of());
    }

    /**
     * Prepares a results folder with more environment facts, e.g. a gate run's model fingerprint, seed and
     * dataset digests.
     *
     * @param dir the Allure results folder
     * @param facts more {@code environment.properties} entries, in order
     */
    public static void prepare(Path dir, Map<String, String> facts) {
        if (!AllureEvidence.isAvailable() || !PREPARED.add(dir.toAbsolutePath())) {
            return;
        }
        try {
            Files.createDirectories(dir);
            try (InputStream categories = AllureResults.class.getResourceAsStream("categories.json")) {
                if (categories != null) {
                    Files.copy(categories, dir.resolve("categories.json"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Properties environment = new Properties();
            environment.setProperty("Java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
            environment.setProperty("OS", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            try {
                environment.setProperty("DJL engine", Engine.getDefaultEngineName() + " "
                        + Engine.getInstance().getVersion());
            } catch (RuntimeException | LinkageError e) {
                // the default engine's natives are not here (the model may run on another engine): leave it out
            }
            facts.forEach(environment::setProperty);
            try (Writer out = Files.newBufferedWriter(dir.resolve("environment.properties"))) {
                environment.store(out, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Allure environment files to " + dir, e);
        }
    }

    /**
     * Writes one overview result per model into {@code dir}: a page that lists every bar judged on that model
     * in this JVM so far (clean accuracy, robustness, calibration, drift, trust ...) with its value and
     * verdict, and the worst class of each accuracy check; its suite {@code 0 · Overview} sorts first. It
     * fails when any of those bars failed, so the report's statistics show the model's verdict. Each model's
     * result has a fixed id per folder, so calling this again (the extension does after every test class)
     * replaces the page with a fuller one. Each check's value over the last runs is kept in
     * {@code gauntlet-history.json} beside the folder and drawn as a trend chart on the page.
     *
     * @param dir the Allure results folder
     */
    public static synchronized void writeOverview(Path dir) {
        if (AllureEvidence.isAvailable()) {
            Overview.write(dir);
        }
    }

    /** Touches Allure types only when they are known to be loadable. */
    private static final class Overview {

        static void write(Path dir) {
            Map<String, List<Verdicts.Verdict>> byModel = Verdicts.byModel();
            if (byModel.isEmpty()) {
                return;
            }
            AllureLifecycle lifecycle = new AllureLifecycle(
                    new FileSystemResultsWriter(dir));
            Map<String, Map<String, String>> worst = Verdicts.worstClasses();
            Map<String, List<LineChart>> trends = ModelHistory.update(dir, byModel);
            byModel.forEach((model, verdicts) -> {
                String uuid = UUID.nameUUIDFromBytes(("gauntlet overview " + model).getBytes(
                        StandardCharsets.UTF_8)).toString();
                long failed = verdicts.stream().filter(v -> v.outcome().equals("failed")).count();
                long warned = verdicts.stream().filter(v -> v.outcome().equals("warned")).count();
                TestResult result = new TestResult().setUuid(uuid)
                        .setName("overview: " + model).setFullName("gauntlet overview: " + model)
                        .setHistoryId(Integer.toHexString(("overview " + model).hashCode()))
                        .setDescriptionHtml(html(model, verdicts, worst.getOrDefault(model, Map.of())))
                        .setLabels(new ArrayList<>(List.of(
                                new Label().setName("suite").setValue("0 · Overview"),
                                new Label().setName("tag").setValue("overview"))));
                lifecycle.scheduleTestCase(result);
                lifecycle.startTestCase(uuid);
                for (LineChart trend : trends.getOrDefault(model, List.of())) {
                    lifecycle.addAttachment(trend.title(), "image/png", "png", trend.png());
                }
                String message = verdicts.size() + " bars: " + (verdicts.size() - failed - warned) + " met, " + failed
                        + " missed, " + warned + " warned";
                lifecycle.updateTestCase(uuid, r -> r.setStatus(failed > 0 ? Status.FAILED
                        : Status.PASSED).setStatusDetails(
                                new StatusDetails().setMessage(message)));
                lifecycle.stopTestCase(uuid);
                lifecycle.writeTestCase(uuid);
            });
        }

        private static String html(String model, List<Verdicts.Verdict> verdicts,
                Map<String, String> worst) {
            StringBuilder html = new StringBuilder("<h3>").append(escape(model)).append("</h3>")
                    .append("<table class=\"gauntlet-overview\"><tr><th>check</th><th>on</th><th>value</th>"
                            + "<th>bar</th><th>verdict</th></tr>");
            for (Verdicts.Verdict v : verdicts) {
                String colour = switch (v.outcome()) {
                    case "passed" -> "#1a7f37";
                    case "warned" -> "#bc4c00";
                    default -> "#cf222e";
                };
                int on = v.subject().indexOf(" on ");
                html.append("<tr><td>").append(escape(v.check())).append("</td><td>")
                        .append(escape(on < 0 ? "" : v.subject().substring(on + 4))).append("</td><td>")
                        .append(escape(v.metric())).append(' ').append(String.format(Locale.ROOT, "%.4g",
                                v.value())).append("</td><td>").append(escape(v.comparison())).append(' ')
                        .append(String.format(Locale.ROOT, "%.4g", v.threshold()))
                        .append("</td><td style=\"color:").append(colour).append("\">").append(v.outcome())
                        .append("</td></tr>");
            }
            html.append("</table>");
            if (!worst.isEmpty()) {
                html.append("<h4>worst classes</h4><ul>");
                worst.forEach((check, description) -> html.append("<li>").append(escape(check)).append(": ")
                        .append(escape(description)).append("</li>"));
                html.append("</ul>");
            }
            return html.toString();
        }

        private static String escape(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }
}

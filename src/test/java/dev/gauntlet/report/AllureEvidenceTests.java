package dev.gauntlet.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.AllureResultsWriter;
import io.qameta.allure.junitplatform.AllureJunitPlatform;
import io.qameta.allure.model.Attachment;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StepResult;
import io.qameta.allure.model.TestResult;
import io.qameta.allure.model.TestResultContainer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a check leaves in Allure: runs a fixture class through a JUnit launcher with Allure's
 * listener on an injected, in-memory lifecycle, and reads the results it wrote.
 */
class AllureEvidenceTests {

    /** Collects what Allure writes. */
    static final class MemoryWriter implements AllureResultsWriter {
        final List<TestResult> results = new CopyOnWriteArrayList<>();
        final Map<String, byte[]> attachments = new ConcurrentHashMap<>();

        @Override
        public void write(TestResult result) {
            results.add(result);
        }

        @Override
        public void write(TestResultContainer container) {}

        @Override
        public void write(String source, InputStream content) {
            try {
                attachments.put(source, content.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Runs a fixture class through a launcher with Allure's listener on an in-memory lifecycle. */
    private static MemoryWriter runWithAllure(Class<?> fixture) {
        MemoryWriter writer = new MemoryWriter();
        AllureLifecycle lifecycle = new AllureLifecycle(writer);
        AllureLifecycle previous = Allure.getLifecycle();
        Allure.setLifecycle(lifecycle);
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture))
                    .build(), new AllureJunitPlatform(lifecycle));
        } finally {
            Allure.setLifecycle(previous);
        }
        return writer;
    }

    @Test
    void a_check_that_throws_midway_keeps_its_evidence_and_the_other_checks_results() {
        MemoryWriter writer = runWithAllure(dev.gauntlet.junit.MidwayFailureTestCases.class);
        // the launcher also registers Allure's listener from the classpath, so a result can be written twice: keep
        // the fuller copy of each
        Map<String, TestResult> byName = new java.util.TreeMap<>();
        for (TestResult result : writer.results) {
            byName.merge(result.getName(), result, (a, b) -> a.getSteps().size() >= b.getSteps().size() ? a : b);
        }
        assertThat(byName.keySet()).hasSize(3);
        byName.forEach((name, result) -> {
            boolean midway = name.startsWith("throws_midway");
            assertThat(result.getStatus()).as(name).isEqualTo(midway ? Status.BROKEN : Status.PASSED);
            assertThat(result.getSteps()).as(name).isNotEmpty();
            assertThat(result.getSteps().get(0).getAttachments()).as("evidence of %s", name).isNotEmpty();
            if (midway) {
                assertThat(result.getStatusDetails().getMessage()).contains("the corruption crashed");
            }
        });
    }

    @Test
    void a_check_records_a_step_with_parameters_a_metrics_json_a_png_and_model_labels() {
        MemoryWriter writer = runWithAllure(dev.gauntlet.junit.AccuracyTestCases.class);

        for (String name : List.of("passes", "fails")) {
            TestResult result = writer.results.stream().filter(r -> r.getName().startsWith(name)).findFirst()
                    .orElseThrow();
            assertThat(result.getLabels()).extracting(Label::getName).contains("model", "engine", "device", "dataset");
            StepResult step = result.getSteps().get(0);
            assertThat(step.getName()).isEqualTo("accuracy");
            assertThat(step.getParameters()).extracting(Parameter::getName)
                    .contains("threshold", "dataset", "samples", "seed");
            assertThat(step.getAttachments()).extracting(Attachment::getType)
                    .containsExactly("application/json", "image/png");

            Attachment json = step.getAttachments().get(0);
            String metrics = new String(writer.attachments.get(json.getSource()), StandardCharsets.UTF_8);
            assertThat(metrics).contains("\"accuracy\":0.75", "\"samples\":40");
            byte[] png = writer.attachments.get(step.getAttachments().get(1).getSource());
            assertThat(Arrays.copyOf(png, 4)).containsExactly(0x89, 'P', 'N', 'G');
        }
        TestResult failed = writer.results.stream().filter(r -> r.getName().startsWith("fails")).findFirst()
                .orElseThrow();
        assertThat(failed.getStatus()).isEqualTo(Status.FAILED);
        assertThat(failed.getSteps().get(0).getAttachments()).as("evidence recorded before the failure").hasSize(2);
    }

    @Test
    void a_missed_soft_bar_passes_with_a_warning_step_label_and_message_and_a_hard_bar_still_fails() {
        MemoryWriter writer = runWithAllure(dev.gauntlet.junit.WarningTestCases.class);
        Map<String, TestResult> byName = new java.util.TreeMap<>();
        for (TestResult result : writer.results) {
            byName.merge(result.getName(), result, (a, b) -> a.getSteps().size() >= b.getSteps().size() ? a : b);
        }
        TestResult warns = byName.entrySet().stream().filter(e -> e.getKey().startsWith("warns(")).findFirst()
                .orElseThrow().getValue();
        assertThat(warns.getStatus()).isEqualTo(Status.PASSED);
        assertThat(warns.getStatusDetails().getMessage()).startsWith("warning: ").contains("accuracy")
                .contains("0.75");
        assertThat(warns.getLabels()).anyMatch(l -> l.getName().equals("tag") && l.getValue().equals("warning"));
        assertThat(warns.getSteps()).anyMatch(step -> step.getName().startsWith("warning: ")
                && step.getStatus() == Status.BROKEN);
        TestResult fails = byName.entrySet().stream().filter(e -> e.getKey().startsWith("warns_then_fails"))
                .findFirst().orElseThrow().getValue();
        assertThat(fails.getStatus()).isEqualTo(Status.FAILED);
        TestResult meets = byName.entrySet().stream().filter(e -> e.getKey().startsWith("meets_the_soft_bar"))
                .findFirst().orElseThrow().getValue();
        assertThat(meets.getStatus()).isEqualTo(Status.PASSED);
        assertThat(meets.getLabels()).noneMatch(l -> l.getValue().equals("warning"));
        // the report sorts it: a passed test whose message starts with "warning:" falls in the soft-bar category
        assertThat(new String(readCategories(), StandardCharsets.UTF_8)).contains("\"Warnings (soft bars)\"")
                .contains("\"matchedStatuses\": [\"passed\"]");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readCategories() {
        try (InputStream in = dev.gauntlet.report.allure.AllureResults.class.getResourceAsStream("categories.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void the_overview_lists_every_bar_judged_on_a_model_with_its_verdict_and_worst_class(@TempDir Path dir)
            throws IOException {
        runWithAllure(dev.gauntlet.junit.AccuracyTestCases.class);
        dev.gauntlet.report.allure.AllureResults.writeOverview(dir);

        List<String> overviews = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith("-result.json")).toList()) {
                overviews.add(Files.readString(file));
            }
        }
        // the fixture judged its model twice: accuracy 0.75 against 0.7 (met) and 0.8 (missed)
        String overview = overviews.stream().filter(o -> o.contains("overview: ") && o.contains(">accuracy<")
                && o.contains(">passed<") && o.contains(">failed<")).findFirst().orElseThrow(() -> new AssertionError("no overview with a met"
                + " and a missed bar in " + overviews));
        // a second run's refresh: an entry of an earlier run beside this one's gives each check a trend
        Path history = dir.resolveSibling("gauntlet-history.json");
        com.google.gson.JsonArray entries = com.google.gson.JsonParser.parseString(Files.readString(history))
                .getAsJsonArray();
        com.google.gson.JsonObject earlier = entries.get(0).getAsJsonObject().deepCopy();
        earlier.addProperty("run", "an earlier run");
        entries.add(earlier);
        Files.writeString(history, entries.toString());
        dev.gauntlet.report.allure.AllureResults.writeOverview(dir);
        assertThat(com.google.gson.JsonParser.parseString(Files.readString(history)).getAsJsonArray())
                .as("this run's entries replaced, the earlier one kept").hasSize(entries.size());
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(f -> f.toString().endsWith("-result.json")).map(AllureEvidenceTests::read))
                    .anyMatch(o -> o.contains("overview: ") && o.contains("trend: accuracy"));
        }
        assertThat(overview).contains("\"status\":\"failed\"").contains("0 · Overview")
                .contains(">accuracy<").contains(">passed<").contains(">failed<").contains("worst classes")
                .contains("class ");
    }
}

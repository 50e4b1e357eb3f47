package dev.gauntlet.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.junitplatform.AllureJunitPlatform;
import io.qameta.allure.model.Attachment;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.TestResult;

import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bracket's Allure evidence: the curve check attaches a PNG chart of both bounds over ε and a
 * metrics JSON with both curves and the open fraction; a failing certified-accuracy check still
 * attaches its metrics and verdict table before it fails.
 */
class BracketEvidenceTests {

    @Test
    void the_bracket_records_its_chart_and_metrics_before_failing() {
        AllureEvidenceTests.MemoryWriter writer = new AllureEvidenceTests.MemoryWriter();
        AllureLifecycle lifecycle = new AllureLifecycle(writer);
        AllureLifecycle previous = Allure.getLifecycle();
        Allure.setLifecycle(lifecycle);
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(BracketEvidenceTestCases.class)).build(), new AllureJunitPlatform(lifecycle));
        } finally {
            Allure.setLifecycle(previous);
        }
        TestResult curve = result(writer, "curve_passes");
        assertThat(curve.getStatus()).as("%s", curve.getStatusDetails() == null ? "" : curve.getStatusDetails().getMessage())
                .isEqualTo(Status.PASSED);
        List<Attachment> attachments = curve.getSteps().get(0).getAttachments();
        Attachment chart = attachments.stream().filter(a -> a.getType().equals("image/png")).findFirst().orElseThrow();
        assertThat(chart.getName()).isEqualTo("robust accuracy bracket vs epsilon");
        byte[] png = writer.attachments.get(chart.getSource());
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(text(writer, attachments, "application/json")).contains("\"epsilons\":[0.02,0.1,0.3]",
                "\"certifiedAccuracy\":[", "\"robustAccuracyUpperBound\":[", "\"openFraction\":[",
                "\"contradictions\":[0,0,0]");

        TestResult failed = result(writer, "certified_fails");
        assertThat(failed.getStatus()).isEqualTo(Status.FAILED);
        List<Attachment> failedAttachments = failed.getSteps().get(0).getAttachments();
        assertThat(text(writer, failedAttachments, "application/json")).contains("\"certifiedAccuracy\":",
                "\"robustAccuracyUpperBound\":", "\"openFraction\":", "\"method\":\"CROWN\"");
        assertThat(text(writer, failedAttachments, "text/csv")).contains("verdict,fraction,meaning", "certified,",
                "attacked,", "open,");
    }

    private static TestResult result(AllureEvidenceTests.MemoryWriter writer, String name) {
        return writer.results.stream().filter(r -> r.getName().startsWith(name)).filter(r -> !r.getSteps().isEmpty())
                .findFirst().orElseThrow(() -> new AssertionError("no result with steps for " + name));
    }

    private static String text(AllureEvidenceTests.MemoryWriter writer, List<Attachment> attachments, String type) {
        Attachment attachment = attachments.stream().filter(a -> a.getType().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " attachment in " + attachments));
        return new String(writer.attachments.get(attachment.getSource()), StandardCharsets.UTF_8);
    }
}

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

/**
 * The Allure evidence of drift assertions names the columns: the metrics JSON carries the feature
 * names, the drifted ones and (for the mixed test) which test ran on which column, and the table
 * of smallest p-values labels each row with its name.
 */
class DriftEvidenceTests {

    @Test
    void drift_evidence_names_the_features_and_the_test_of_each() {
        AllureEvidenceTests.MemoryWriter writer = new AllureEvidenceTests.MemoryWriter();
        AllureLifecycle lifecycle = new AllureLifecycle(writer);
        AllureLifecycle previous = Allure.getLifecycle();
        Allure.setLifecycle(lifecycle);
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(DriftEvidenceTestCases.class)).build(), new AllureJunitPlatform(lifecycle));
        } finally {
            Allure.setLifecycle(previous);
        }
        TestResult failed = writer.results.stream().filter(r -> r.getName().startsWith("mixed_fails"))
                .filter(r -> !r.getSteps().isEmpty()).findFirst().orElseThrow();
        assertThat(failed.getStatus()).isEqualTo(Status.FAILED);
        String metrics = attachment(writer, failed, "application/json");
        assertThat(metrics).contains("\"featureNames\":[\"age\",\"smoker\"]", "\"driftedFeatureNames\":[\"smoker\"]",
                "\"name\":\"smoker\",\"test\":\"chi2\"", "\"name\":\"age\",\"test\":\"ks\"");
        String table = attachment(writer, failed, "text/csv");
        assertThat(table).contains("feature,test,statistic,p-value,verdict", "1 (smoker),chi2,");

        TestResult passed = writer.results.stream().filter(r -> r.getName().startsWith("ks_passes"))
                .filter(r -> !r.getSteps().isEmpty()).findFirst().orElseThrow();
        assertThat(passed.getStatus()).isEqualTo(Status.PASSED);
        assertThat(attachment(writer, passed, "application/json")).contains("\"featureNames\":[\"age\",\"smoker\"]",
                "\"driftedFeatureNames\":[]");
        assertThat(attachment(writer, passed, "text/csv")).contains("0 (age),,");
    }

    private static String attachment(AllureEvidenceTests.MemoryWriter writer, TestResult result, String type) {
        Attachment attachment = result.getSteps().get(0).getAttachments().stream()
                .filter(a -> a.getType().equals(type)).findFirst().orElseThrow(() -> new AssertionError(
                        "no " + type + " attachment in " + result.getSteps().get(0).getAttachments()));
        return new String(writer.attachments.get(attachment.getSource()), StandardCharsets.UTF_8);
    }
}

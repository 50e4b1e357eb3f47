package dev.gauntlet.report.allure;

import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.EvidenceSource;

import io.qameta.allure.Allure;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StatusDetails;

import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Evidence recorded in Allure: steps, attachments and labels of the running test case. The only
 * class that touches Allure, and only when {@code allure-java-commons} is on the classpath.
 */
public final class AllureEvidence implements Evidence {

    /** The single instance; it reads Allure's lifecycle on every call. */
    public static final AllureEvidence INSTANCE = new AllureEvidence();

    private static final boolean AVAILABLE = isOnClasspath();

    private AllureEvidence() {}

    /** The {@link EvidenceSource} service that hands out {@link #INSTANCE} while Allure reports a test. */
    public static final class Source implements EvidenceSource {

        /** Called by {@link java.util.ServiceLoader}. */
        public Source() {}

        @Override
        public Optional<Evidence> current() {
            return isReporting() ? Optional.of(INSTANCE) : Optional.empty();
        }
    }

    /**
     * Tells whether Allure is on the classpath and reporting a test case on this thread.
     *
     * @return {@code true} if evidence would reach an Allure report
     */
    public static boolean isReporting() {
        return AVAILABLE && Lifecycle.hasTestCase();
    }

    /**
     * Tells whether Allure is on the classpath.
     *
     * @return {@code true} if {@code allure-java-commons} can be loaded
     */
    public static boolean isAvailable() {
        return AVAILABLE;
    }

    @Override
    public <T> T step(String name, Map<String, ?> parameters, Supplier<T> body) {
        Objects.requireNonNull(body, "body");
        return Allure.step(name, context -> {
            parameters.forEach((key, value) -> context.parameter(key, String.valueOf(value),
                    Parameter.Mode.DEFAULT));
            return body.get();
        });
    }

    @Override
    public void attach(String name, String mimeType, String extension, byte[] content) {
        Allure.addAttachment(name, mimeType, new ByteArrayInputStream(content), extension);
    }

    @Override
    public void label(String name, String value) {
        Allure.label(name, value);
    }

    /**
     * Prints the warning, adds a broken step named {@code warning: ...}, a {@code tag: warning} label, and
     * prefixes the test's status message with it, so the report's "Warnings (soft bars)" category (a passed
     * test whose message starts with {@code warning:}) lists the test while it stays passed.
     */
    @Override
    public void warning(String message) {
        Evidence.super.warning(message);
        String first = message.strip().lines().findFirst().orElse("");
        Allure.step("warning: " + first, Status.BROKEN);
        Allure.label("tag", "warning");
        Allure.getLifecycle().updateTestCase(result -> {
            StatusDetails details = result.getStatusDetails() == null ? new StatusDetails()
                    : result.getStatusDetails();
            String previous = details.getMessage();
            details.setMessage("warning: " + message.strip() + (previous == null || previous.isEmpty() ? ""
                    : "\n" + previous));
            result.setStatusDetails(details);
        });
    }

    private static boolean isOnClasspath() {
        try {
            Class.forName("io.qameta.allure.Allure", false, AllureEvidence.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Touches Allure types only when they are known to be loadable. */
    private static final class Lifecycle {

        static boolean hasTestCase() {
            return Allure.getLifecycle().getCurrentTestCase().isPresent();
        }
    }
}

package dev.gauntlet.report;

import java.util.Optional;

/**
 * Finds the evidence sink of the test running on the current thread, for one kind of report.
 *
 * <p>A service: {@link Evidence#current()} asks every source listed in
 * {@code META-INF/services/dev.gauntlet.report.EvidenceSource} on the class path, so the core names
 * no report format (Gauntlet's own Allure source is listed by this library). A source whose
 * report library is missing returns empty rather than failing.
 */
public interface EvidenceSource {

    /**
     * Returns the sink for the test running on this thread, if this source is reporting one.
     *
     * @return the sink, or empty
     */
    Optional<Evidence> current();
}

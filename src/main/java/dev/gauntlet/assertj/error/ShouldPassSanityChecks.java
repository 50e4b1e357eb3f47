package dev.gauntlet.assertj.error;

import dev.gauntlet.attack.SanityReport;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.stream.Collectors;

/** The failure message of an attack evaluation that failed sanity checks: one line per finding. */
public final class ShouldPassSanityChecks extends BasicErrorMessageFactory {

    private ShouldPassSanityChecks(String subject, SanityReport report) {
        super("%nExpecting model:%n  " + escape(subject) + "%nto pass the sanity checks of " + escape(report.attack())
                + " on " + report.samples() + " samples, but " + report.failures().size() + " of "
                + report.findings().size() + " failed:%n" + report.failures().stream()
                        .map(f -> "  - " + escape(f.check()) + ": " + escape(f.detail()))
                        .collect(Collectors.joining("%n")));
    }

    /**
     * Creates the message.
     *
     * @param subject the model, data and attack
     * @param report the findings
     * @return the message factory
     */
    public static ErrorMessageFactory shouldPassSanityChecks(String subject, SanityReport report) {
        return new ShouldPassSanityChecks(subject, report);
    }

    private static String escape(String text) {
        return text.replace("%", "%%");
    }
}

package dev.gauntlet.attack;

import dev.gauntlet.report.Fields;

import java.util.List;
import java.util.Map;

/**
 * The sanity checks of one attack evaluation: whether its robust accuracy can be believed.
 *
 * @param attack the attack's name
 * @param samples the number of samples checked
 * @param findings every check, passed or not
 */
public record SanityReport(String attack, int samples, List<SanityFinding> findings) {

    /** Copies the findings. */
    public SanityReport {
        findings = List.copyOf(findings);
    }

    /**
     * Tells whether every check passed.
     *
     * @return {@code true} if no finding failed
     */
    public boolean passed() {
        return findings.stream().allMatch(SanityFinding::passed);
    }

    /**
     * Returns the failed checks.
     *
     * @return the failures, in check order
     */
    public List<SanityFinding> failures() {
        return findings.stream().filter(f -> !f.passed()).toList();
    }

    /**
     * Tells whether the named check failed.
     *
     * @param check the check's name, as in {@link SanityChecks}
     * @return {@code true} if it ran and failed
     */
    public boolean flags(String check) {
        return findings.stream().anyMatch(f -> f.check().equals(check) && !f.passed());
    }

    /**
     * Returns the findings as an ordered map, for JSON evidence.
     *
     * @return check name to verdict and detail
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = Fields.of(
                "attack", attack,
                "samples", samples,
                "passed", passed());
        for (SanityFinding finding : findings) {
            map.put(finding.check(), (finding.passed() ? "passed: " : "FAILED: ") + finding.detail());
        }
        return map;
    }
}

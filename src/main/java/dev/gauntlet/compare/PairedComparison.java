package dev.gauntlet.compare;

import dev.gauntlet.report.Fields;
import dev.gauntlet.stats.McNemarTest;
import dev.gauntlet.stats.PairedDifference;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Candidate and baseline on one group of samples (all of them, or one class): the paired table, the
 * McNemar test of its discordant pairs and Newcombe's interval of the accuracy difference.
 *
 * @param group the group's name, e.g. {@code all samples} or {@code class 6}
 * @param difference the paired table (a, b, c, d) with Newcombe's interval of candidate − baseline
 * @param test McNemar's exact and mid-p tests on b and c
 * @param holmMidP the one-sided mid-p value adjusted by Holm's step-down method over the groups compared
 *     together (the classes); equal to the mid-p value for the overall comparison
 */
public record PairedComparison(String group, PairedDifference difference, McNemarTest test, double holmMidP) {

    /** Validates the parts. */
    public PairedComparison {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(difference, "difference");
        Objects.requireNonNull(test, "test");
    }

    /**
     * Returns the number of paired samples in the group.
     *
     * @return n
     */
    public int samples() {
        return difference.samples();
    }

    /**
     * Returns the baseline's accuracy (recall, for a class) on the group.
     *
     * @return (a + b) / n
     */
    public double baselineAccuracy() {
        return (double) (difference.bothRight() + difference.regressions()) / samples();
    }

    /**
     * Returns the candidate's accuracy (recall, for a class) on the group.
     *
     * @return (a + c) / n
     */
    public double candidateAccuracy() {
        return (double) (difference.bothRight() + difference.improvements()) / samples();
    }

    /**
     * Returns the comparison as an ordered map, for JSON evidence.
     *
     * @return accuracies, the table, the interval and the p-values
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = Fields.of(
                "group", group,
                "samples", samples(),
                "baselineAccuracy", baselineAccuracy(),
                "candidateAccuracy", candidateAccuracy(),
                "bothRight (a)", difference.bothRight(),
                "bothWrong (d)", difference.bothWrong());
        map.putAll(test.toMap());
        map.put("holmMidPOneSided", holmMidP);
        map.put("difference", difference.toMap());
        return map;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "%s (%d samples): baseline %.4f, candidate %.4f, difference %+.4f (%.0f%% Newcombe interval "
                        + "[%+.4f, %+.4f]); %d regressions, %d improvements; McNemar one-sided mid-p %.3g "
                        + "(exact %.3g)%s",
                group, samples(), baselineAccuracy(), candidateAccuracy(), difference.estimate(),
                difference.confidence() * 100, difference.lower(), difference.upper(), test.b(), test.c(),
                test.midPOneSided(), test.exactOneSided(),
                holmMidP != test.midPOneSided() ? String.format(Locale.ROOT, ", Holm-adjusted %.3g", holmMidP)
                        : "");
    }
}

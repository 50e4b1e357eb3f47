package dev.gauntlet.assertj.error;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The failure message of a candidate that regressed against its baseline: both models, the check
 * with its parameters and sample size, the decision rule, and every group that regressed (the class,
 * the accuracies, the interval of the difference, the discordant counts and the paired p-values).
 */
public final class ShouldNotRegress extends BasicErrorMessageFactory {

    private ShouldNotRegress(String candidate, String baseline, String check, Map<String, ?> parameters, int samples,
            String rule, List<String> regressed) {
        super("%nExpecting candidate:%n  %s%nnot to be worse than baseline:%n  %s%nin check %s (%s) on %s samples:%n"
                + "  %s%nbut it regressed on:%n  %s", unquotedString(candidate), unquotedString(baseline),
                unquotedString(check), unquotedString(describe(parameters)), samples, unquotedString(rule),
                unquotedString(String.join(System.lineSeparator() + "  ", regressed)));
    }

    private static String describe(Map<String, ?> parameters) {
        return parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /**
     * Creates the message.
     *
     * @param candidate the candidate model
     * @param baseline the baseline model
     * @param check the check's name
     * @param parameters the check's parameters
     * @param samples the sample size
     * @param rule the decision rule in words
     * @param regressed one line per group that regressed, worst first
     * @return the message factory
     */
    public static ErrorMessageFactory shouldNotRegress(String candidate, String baseline, String check,
            Map<String, ?> parameters, int samples, String rule, List<String> regressed) {
        return new ShouldNotRegress(candidate, baseline, check, parameters, samples, rule, regressed);
    }
}

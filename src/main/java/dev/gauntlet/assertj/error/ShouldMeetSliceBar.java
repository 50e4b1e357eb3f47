package dev.gauntlet.assertj.error;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The failure message of a bar missed by one or more slices (or classes): the check with its
 * parameters, the bar and the rule, and each failing slice with its size, value and interval, worst
 * first.
 */
public final class ShouldMeetSliceBar extends BasicErrorMessageFactory {

    private ShouldMeetSliceBar(String subject, String check, Map<String, ?> parameters, int samples, String bar,
            String rule, int slices, List<String> failed) {
        super("%nExpecting:%n  %s%nto pass check %s (%s) on %s samples, in each of %s slices:%n  %s (%s)%n"
                + "but %s failed, worst first:%n  %s", unquotedString(subject), unquotedString(check),
                unquotedString(describe(parameters)), samples, slices, unquotedString(bar), unquotedString(rule),
                unquotedString(failed.size() == 1 ? "1 slice" : failed.size() + " slices"),
                unquotedString(String.join(System.lineSeparator() + "  ", failed)));
    }

    private static String describe(Map<String, ?> parameters) {
        return parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /**
     * Creates the message.
     *
     * @param subject the model and data
     * @param check the check's name
     * @param parameters its parameters
     * @param samples the dataset's size
     * @param bar the bar, e.g. {@code accuracy >= 0.8}
     * @param rule the rule in words
     * @param slices how many slices were judged
     * @param failed one line per failing slice, worst first
     * @return the message factory
     */
    public static ErrorMessageFactory shouldMeetSliceBar(String subject, String check, Map<String, ?> parameters,
            int samples, String bar, String rule, int slices, List<String> failed) {
        return new ShouldMeetSliceBar(subject, check, parameters, samples, bar, rule, slices, failed);
    }
}

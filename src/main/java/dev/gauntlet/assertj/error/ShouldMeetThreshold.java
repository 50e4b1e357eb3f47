package dev.gauntlet.assertj.error;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The failure message of a check whose metric missed its threshold: the model and data, the
 * check with its parameters and sample size, the expected bound and the actual value.
 */
public final class ShouldMeetThreshold extends BasicErrorMessageFactory {

    private ShouldMeetThreshold(String subject, String check, Map<String, ?> parameters, int samples, String metric,
            String relation, double threshold, double actual) {
        super("%nExpecting:%n  " + escape(subject)
                + "%nto pass check " + escape(check) + " (" + escape(describe(parameters)) + ") on " + samples
                + " samples:%n  " + escape(metric) + " " + relation + " " + threshold
                + "%nbut was:%n  " + actual);
    }

    private static String describe(Map<String, ?> parameters) {
        return parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String escape(String text) {
        return text.replace("%", "%%");
    }

    /**
     * Creates the message of a metric that should have been at least {@code threshold}.
     *
     * @param subject the model and data
     * @param check the check's name
     * @param parameters the check's parameters
     * @param samples the sample size
     * @param metric the metric's name
     * @param threshold the least acceptable value
     * @param actual the measured value
     * @return the message factory
     */
    public static ErrorMessageFactory atLeast(String subject, String check, Map<String, ?> parameters, int samples,
            String metric, double threshold, double actual) {
        return new ShouldMeetThreshold(subject, check, parameters, samples, metric, ">=", threshold, actual);
    }

    /**
     * Creates the message of a metric that should have been at most {@code threshold}.
     *
     * @param subject the model and data
     * @param check the check's name
     * @param parameters the check's parameters
     * @param samples the sample size
     * @param metric the metric's name
     * @param threshold the largest acceptable value
     * @param actual the measured value
     * @return the message factory
     */
    public static ErrorMessageFactory atMost(String subject, String check, Map<String, ?> parameters, int samples,
            String metric, double threshold, double actual) {
        return new ShouldMeetThreshold(subject, check, parameters, samples, metric, "<=", threshold, actual);
    }
}

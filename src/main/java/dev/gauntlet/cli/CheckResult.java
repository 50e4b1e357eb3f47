package dev.gauntlet.cli;

import dev.gauntlet.report.Fields;

import java.util.Locale;
import java.util.Map;

/**
 * One gate check's outcome.
 *
 * @param name what was checked, with its settings
 * @param status passed, failed, skipped (the model cannot run the check) or warned (a soft bar missed)
 * @param metric the measured quantity
 * @param value its value, NaN when skipped
 * @param comparison {@code >=} or {@code <=}
 * @param threshold the bar
 * @param seconds the time the check took
 * @param message the failure message or the reason for skipping, empty when passed
 */
record CheckResult(String name, Status status, String metric, double value, String comparison, double threshold,
        double seconds, String message) {

    /** What became of a check: WARNED is a soft bar ({@code warn: true}) that was missed; it fails nothing. */
    enum Status {
        PASSED, FAILED, SKIPPED, WARNED;

        /** @return {@code passed}, {@code failed} or {@code skipped}, as the JSON summary writes it */
        String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return {@code PASS}, {@code FAIL} or {@code SKIP}, as the console table prints it */
        String label() {
            return name().substring(0, 4);
        }
    }

    /** A check the model cannot run, e.g. a gradient attack on an ONNX model; it fails nothing. */
    static CheckResult skipped(String name, String metric, String comparison, double threshold, String reason) {
        return new CheckResult(name, Status.SKIPPED, metric, Double.NaN, comparison, threshold, 0, reason);
    }

    /** @return this failed result as a warning: the soft bar was missed */
    CheckResult asWarning() {
        return new CheckResult(name, Status.WARNED, metric, value, comparison, threshold, seconds, message);
    }

    /** @return true if the check ran and missed a soft bar */
    boolean warned() {
        return status == Status.WARNED;
    }

    /** @return true if the check ran and met its bar */
    boolean passed() {
        return status == Status.PASSED;
    }

    /** @return true if the check ran and missed its bar (or broke) */
    boolean failed() {
        return status == Status.FAILED;
    }

    /** @return true if the check did not run */
    boolean skipped() {
        return status == Status.SKIPPED;
    }

    /**
     * The JSON form: {@code status} is passed, failed, skipped or warned; {@code passed} (kept from before skipped checks
     * existed) is true only for a check that ran and met its bar; {@code message} holds the failure or the reason
     * for skipping.
     */
    Map<String, Object> toMap() {
        Map<String, Object> map = Fields.of(
                "name", name,
                "status", status.json(),
                "passed", passed(),
                "metric", metric,
                "value", value,
                "comparison", comparison,
                "threshold", threshold,
                "seconds", seconds);
        if (!message.isEmpty()) {
            map.put("message", message);
        }
        return map;
    }
}

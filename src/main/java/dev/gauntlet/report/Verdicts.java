package dev.gauntlet.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every bar judged in this JVM, grouped by model, for the report's overview page: one row per check with
 * its value, bar and outcome, and the worst classes seen by accuracy checks. Assertions record here as they
 * judge; {@code AllureResults} turns it into one overview result per model when the JVM ends.
 */
public final class Verdicts {

    /** One judged bar. */
    public record Verdict(String subject, String check, String metric, String comparison, double threshold,
            double value, String outcome) {}

    private static final Map<String, List<Verdict>> BY_MODEL = new LinkedHashMap<>();
    private static final Map<String, Map<String, String>> WORST_CLASSES = new LinkedHashMap<>();

    private Verdicts() {}

    /**
     * Records a judged bar.
     *
     * @param subject what was judged, e.g. {@code DjlClassifier[...] on fashion-mnist/test (10000 samples)}
     * @param check the check's name
     * @param metric the metric
     * @param comparison {@code >=} or {@code <=}
     * @param threshold the bar
     * @param value the measured value
     * @param outcome {@code passed}, {@code failed} or {@code warned}
     */
    public static void record(String subject, String check, String metric, String comparison, double threshold,
            double value, String outcome) {
        synchronized (BY_MODEL) {
            BY_MODEL.computeIfAbsent(model(subject), k -> new ArrayList<>()).add(new Verdict(subject, check, metric,
                    comparison, threshold, value, outcome));
        }
    }

    /**
     * Records the worst class a check saw.
     *
     * @param subject what was judged
     * @param check the check's name
     * @param description e.g. {@code class 6: 0.62}
     */
    public static void worstClass(String subject, String check, String description) {
        synchronized (BY_MODEL) {
            WORST_CLASSES.computeIfAbsent(model(subject), k -> new LinkedHashMap<>()).put(check + " on "
                    + data(subject), description);
        }
    }

    /**
     * The verdicts so far, by model.
     *
     * @return a copy: model description to its verdicts in the order judged
     */
    public static Map<String, List<Verdict>> byModel() {
        synchronized (BY_MODEL) {
            Map<String, List<Verdict>> copy = new LinkedHashMap<>();
            BY_MODEL.forEach((model, verdicts) -> copy.put(model, List.copyOf(verdicts)));
            return copy;
        }
    }

    /**
     * The worst classes so far, by model.
     *
     * @return model description to "check on data" to the worst class
     */
    public static Map<String, Map<String, String>> worstClasses() {
        synchronized (BY_MODEL) {
            Map<String, Map<String, String>> copy = new LinkedHashMap<>();
            WORST_CLASSES.forEach((model, worst) -> copy.put(model, Map.copyOf(worst)));
            return copy;
        }
    }

    /** The model part of a subject: everything before " on " (a model's description has no " on "). */
    static String model(String subject) {
        int on = subject.indexOf(" on ");
        return on < 0 ? subject : subject.substring(0, on);
    }

    private static String data(String subject) {
        int on = subject.indexOf(" on ");
        return on < 0 ? "" : subject.substring(on + 4);
    }
}

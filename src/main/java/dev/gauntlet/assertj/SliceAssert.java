package dev.gauntlet.assertj;

import dev.gauntlet.assertj.error.ShouldMeetSliceBar;
import dev.gauntlet.attack.Attack;
import dev.gauntlet.report.BarChart;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.ModelLabels;
import dev.gauntlet.report.Table;
import dev.gauntlet.slice.BarRule;
import dev.gauntlet.slice.Outcomes;
import dev.gauntlet.slice.SliceMetrics;
import dev.gauntlet.slice.SliceReport;
import dev.gauntlet.slice.SliceResult;
import dev.gauntlet.stats.IntervalMethod;
import dev.gauntlet.uncertainty.Calibration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Bars that every class, or every named slice of the data, must meet on its own: accuracy, robust
 * accuracy under an attack, and calibration. Each slice's metric comes with a confidence interval
 * (Wilson's by default, or Clopper–Pearson's; a percentile bootstrap for ECE), and a {@link BarRule}
 * decides with it, so that a slice of 30 samples neither passes nor fails on noise. The failure names
 * every failing slice, worst first, with its size, value and interval; the evidence holds every slice.
 *
 * <p>Default rule: {@link BarRule#FAIL_WHEN_CLEARLY_BELOW}, fail only when the interval's upper bound
 * is below the bar (for ECE, its lower bound above it); {@code withRule(BarRule.PASS_WHEN_CLEARLY_ABOVE)}
 * demands the lower bound reach the bar instead. Defaults: Wilson, 95%.
 *
 * <pre>{@code
 * assertThatModel(cnn).on(test).forEveryClass().hasAccuracyAtLeast(0.6);       // passes: worst class 0.68 [0.65, 0.71]
 * assertThatModel(cnn).on(test).forEveryClass().hasAccuracyAtLeast(0.75);      // fails: class 6 (1000 samples): 0.6800 ...
 * assertThatModel(mlp).on(test).onSlices(Slice.featureRange("radius 15-20", 0, 15, 20))
 *         .withInterval(IntervalMethod.CLOPPER_PEARSON).hasAccuracyAtLeast(0.9);
 * }</pre>
 */
public class SliceAssert extends GauntletAssert<SliceAssert, ModelOnSlices> {

    private IntervalMethod method = IntervalMethod.WILSON;
    private double confidence = 0.95;
    private BarRule rule = BarRule.FAIL_WHEN_CLEARLY_BELOW;
    private final Map<String, SliceReport> accuracy = new HashMap<>();

    /**
     * Creates the assertion; prefer {@code assertThatModel(model).on(data).forEveryClass()} or
     * {@code .onSlices(...)}.
     *
     * @param actual the model, data and slices
     */
    public SliceAssert(ModelOnSlices actual) {
        super(actual, SliceAssert.class);
    }

    /**
     * Sets how the accuracy intervals are computed (Wilson by default).
     *
     * @param intervalMethod Wilson or Clopper–Pearson
     * @return this assertion
     */
    public SliceAssert withInterval(IntervalMethod intervalMethod) {
        this.method = Objects.requireNonNull(intervalMethod, "intervalMethod");
        return myself;
    }

    /**
     * Sets the intervals' two-sided confidence level (0.95 by default).
     *
     * @param level in (0, 1)
     * @return this assertion
     */
    public SliceAssert withConfidence(double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + level + "; e.g. 0.95");
        }
        this.confidence = level;
        return myself;
    }

    /**
     * Sets how a slice's interval is judged against the bar ({@link BarRule#FAIL_WHEN_CLEARLY_BELOW} by default).
     *
     * @param barRule the rule
     * @return this assertion
     */
    public SliceAssert withRule(BarRule barRule) {
        this.rule = Objects.requireNonNull(barRule, "barRule");
        return myself;
    }

    /**
     * Verifies that every slice's accuracy (recall, for a class) meets {@code bar} under the rule.
     *
     * @param bar the least acceptable accuracy, in [0, 1]
     * @return this assertion
     */
    public SliceAssert hasAccuracyAtLeast(double bar) {
        isNotNull();
        requireFraction(bar, "bar");
        judge("accuracy", parameters(bar), bar, true, this::accuracyReport);
        return myself;
    }

    /**
     * Returns every slice's accuracy with its interval, by this assertion's interval method and confidence
     * (measuring it if no check has yet with those).
     *
     * @return the report
     */
    public SliceReport accuracyReport() {
        ModelOnData target = actual.target();
        return accuracy.computeIfAbsent(method.label() + " " + confidence, key -> SliceMetrics.accuracy(
                Outcomes.clean(target.classifier(), target.data()), target.data(), actual.slices(), method, confidence));
    }

    /**
     * Verifies that every slice's robust accuracy (correct clean and attacked) meets {@code bar}.
     *
     * @param attack the attack, seeded with the assertion's seed
     * @param bar the least acceptable robust accuracy, in [0, 1]
     * @return this assertion
     */
    public SliceAssert hasRobustAccuracyAtLeast(Attack attack, double bar) {
        isNotNull();
        Objects.requireNonNull(attack, "attack must not be null: pass e.g. Attacks.pgd().linf(0.03)");
        requireFraction(bar, "bar");
        ModelOnData target = actual.target();
        Map<String, Object> parameters = parameters(bar);
        parameters.put("attack", attack.name());
        judge("robust accuracy under " + attack.name(), parameters, bar, true, () -> SliceMetrics.accuracy(
                Outcomes.underAttack(target.classifier(), target.data(), attack, target.seed()), target.data(),
                actual.slices(), method, confidence));
        return myself;
    }

    /**
     * Verifies that every slice's expected calibration error (15 bins) is at most {@code bar}, judged on
     * a seeded percentile-bootstrap interval ({@value SliceMetrics#DEFAULT_RESAMPLES} resamples).
     *
     * @param bar the largest acceptable ECE, in [0, 1]
     * @return this assertion
     */
    public SliceAssert hasEceAtMost(double bar) {
        isNotNull();
        requireFraction(bar, "bar");
        ModelOnData target = actual.target();
        Map<String, Object> parameters = parameters(bar);
        parameters.put("interval", "percentile bootstrap");
        parameters.put("bins", Calibration.DEFAULT_BINS);
        judge("calibration", parameters, bar, false, () -> SliceMetrics.calibration(
                Outcomes.clean(target.classifier(), target.data()), target.data(), actual.slices(),
                Calibration.DEFAULT_BINS, confidence, SliceMetrics.DEFAULT_RESAMPLES, target.seed()));
        return myself;
    }

    private Map<String, Object> parameters(double bar) {
        return Fields.of(
                "bar", bar,
                "slices", actual.everyClass() ? "every class" : actual.slices().size(),
                "interval", method.label(),
                "confidence", confidence,
                "rule", rule.name(),
                "dataset", actual.target().data().name(),
                "samples", actual.target().data().size(),
                "seed", actual.target().seed());
    }

    private void judge(String metric, Map<String, Object> parameters, double bar, boolean higherIsBetter,
            Supplier<SliceReport> measure) {
        String check = metric + (actual.everyClass() ? " of every class" : " of every slice");
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.target().classifier(), actual.target().data());
        SliceReport report = evidence.step(check, parameters, () -> {
            SliceReport measured = measure.get();
            evidence.metrics(check + " metrics", parameters, measured.toMap());
            if (evidence.isRecording()) {
                List<SliceResult> shown = measured.slices();
                evidence.table(new Table(check, List.of("slice", "samples", metric, "lower", "upper", "interval",
                        "verdict"), shown.stream().map(s -> List.of(s.slice(), Integer.toString(s.samples()),
                        format(s.value()), format(s.lower()), format(s.upper()), s.interval(),
                        skipped(s) ? "skipped (no samples)" : rule.fails(s, bar, higherIsBetter) ? "FAILED" : "passed"))
                        .toList()));
                evidence.chart(new BarChart(check, actual.everyClass() ? "class" : "slice", metric,
                        shown.stream().map(SliceResult::slice).toList(),
                        shown.stream().mapToDouble(SliceResult::value).toArray()));
            }
            return measured;
        });
        Comparator<SliceResult> worstFirst = Comparator.comparingDouble(SliceResult::value);
        List<SliceResult> failed = new ArrayList<>(report.slices().stream()
                .filter(s -> !skipped(s) && rule.fails(s, bar, higherIsBetter)).toList());
        failed.sort(higherIsBetter ? worstFirst : worstFirst.reversed());
        if (!failed.isEmpty()) {
            String barText = metric + (higherIsBetter ? " >= " : " <= ") + bar;
            failOrWarnWith(ShouldMeetSliceBar.shouldMeetSliceBar(String.valueOf(actual.target()), check,
                    parameters, actual.target().data().size(), barText, rule.describe(higherIsBetter),
                    (int) report.slices().stream().filter(s -> !skipped(s)).count(),
                    failed.stream().map(SliceResult::toString).toList()));
        }
    }

    /** Classes without samples are skipped; a named slice without samples fails (its value is NaN). */
    private boolean skipped(SliceResult result) {
        return actual.everyClass() && result.samples() == 0;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}

package dev.gauntlet.assertj;

import dev.gauntlet.assertj.error.ShouldNotRegress;
import dev.gauntlet.attack.Attack;
import dev.gauntlet.compare.CalibrationComparison;
import dev.gauntlet.compare.ComparisonReport;
import dev.gauntlet.compare.Flip;
import dev.gauntlet.compare.ModelComparison;
import dev.gauntlet.compare.PairedComparison;
import dev.gauntlet.compare.RegressionRule;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.report.BarChart;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.ImageGrid;
import dev.gauntlet.report.ModelLabels;
import dev.gauntlet.report.Table;
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
 * Candidate versus baseline on the same data: "the candidate is not worse by more than δ", decided on
 * the paired predictions by a {@link RegressionRule}.
 *
 * <p>The default rule, {@link RegressionRule#SIGNIFICANT_REGRESSION}, fails when the candidate is worse
 * by more than δ <em>and</em> McNemar's one-sided mid-p value on the discordant pairs is below α (0.05
 * by default): a drop that is both material and not noise. {@link #requiringNonInferiority()} switches
 * to {@link RegressionRule#NON_INFERIORITY}, which fails when the lower bound of Newcombe's interval of
 * the difference is below −δ: the candidate must prove it is not worse. The intervals are at level
 * 1 − 2α (90% for α = 0.05), so each bound is a one-sided 1 − α bound. Per class, p-values are
 * Holm-adjusted over the classes.
 *
 * <p>Every check records before it can fail: the metrics JSON (the paired table, McNemar's exact and
 * mid-p values, Newcombe's interval, per class), a table per class, the regressions by class as a bar
 * chart and as a confusion (true class × the candidate's wrong prediction), and a grid of regressed
 * samples (image data) or a table of them.
 *
 * <pre>{@code
 * assertThatModel(candidate).comparedTo(baseline).on(test)
 *         .hasAccuracyNotWorseBy(0.01)                     // passes: -0.0040, mid-p 0.21
 *         .hasRecallOfEveryClassNotWorseBy(0.02);          // fails: class 6 ... 0.8210 -> 0.7630, mid-p 2.1e-09
 * }</pre>
 */
public class ComparisonAssert extends GauntletAssert<ComparisonAssert, ModelComparison> {

    private double alpha = 0.05;
    private RegressionRule rule = RegressionRule.SIGNIFICANT_REGRESSION;
    private ComparisonReport accuracy;
    private CalibrationComparison calibration;
    private final Map<Attack, ComparisonReport> robustAccuracy = new HashMap<>();

    /**
     * Creates the assertion; prefer {@code assertThatModel(candidate).comparedTo(baseline).on(data)}.
     *
     * @param actual the comparison
     */
    public ComparisonAssert(ModelComparison actual) {
        super(actual, ComparisonAssert.class);
    }

    /**
     * Sets α, the significance level of the test (and 1 − 2α the intervals' level); 0.05 by default.
     *
     * @param level in (0, 0.5)
     * @return this assertion
     */
    public ComparisonAssert withSignificance(double level) {
        if (!(level > 0 && level < 0.5)) {
            throw new IllegalArgumentException("alpha must be in (0, 0.5), got " + level + "; e.g. 0.05");
        }
        this.alpha = level;
        this.accuracy = null;
        return myself;
    }

    /**
     * Sets the decision rule ({@link RegressionRule#SIGNIFICANT_REGRESSION} by default).
     *
     * @param regressionRule the rule
     * @return this assertion
     */
    public ComparisonAssert withRule(RegressionRule regressionRule) {
        this.rule = Objects.requireNonNull(regressionRule, "regressionRule");
        return myself;
    }

    /**
     * Switches to {@link RegressionRule#NON_INFERIORITY}: the candidate must show it is not worse by δ.
     *
     * @return this assertion
     */
    public ComparisonAssert requiringNonInferiority() {
        return withRule(RegressionRule.NON_INFERIORITY);
    }

    /**
     * Verifies that the candidate's accuracy is not worse than the baseline's by more than {@code margin}.
     *
     * @param margin δ, the largest acceptable drop, in [0, 1]
     * @return this assertion
     */
    public ComparisonAssert hasAccuracyNotWorseBy(double margin) {
        isNotNull();
        requireFraction(margin, "margin");
        judgeOverall("accuracy vs baseline", parameters(margin), margin, this::accuracyReport);
        return myself;
    }

    /**
     * Verifies that no class's recall (accuracy on that class's samples) is worse than the baseline's by
     * more than {@code margin}, with Holm-adjusted p-values over the classes; the failure names every
     * class that regressed, worst first.
     *
     * @param margin δ, the largest acceptable drop of any class's recall, in [0, 1]
     * @return this assertion
     */
    public ComparisonAssert hasRecallOfEveryClassNotWorseBy(double margin) {
        isNotNull();
        requireFraction(margin, "margin");
        Map<String, Object> parameters = parameters(margin);
        parameters.put("adjustment", "Holm over classes");
        String check = "recall of every class vs baseline";
        ComparisonReport report = record(check, parameters, this::accuracyReport);
        List<PairedComparison> regressed = new ArrayList<>(report.perClass().stream()
                .filter(c -> rule.regressed(c, margin, alpha, true)).toList());
        regressed.sort(Comparator.comparingDouble(c -> c.difference().estimate()));
        failIfAny(check, parameters, regressed);
        return myself;
    }

    /**
     * Verifies that the candidate's robust accuracy under {@code attack} is not worse than the
     * baseline's by more than {@code margin}; both are attacked with the same seed.
     *
     * @param attack the attack, e.g. {@code Attacks.pgd().linf(0.03).steps(10)}
     * @param margin δ, in [0, 1]
     * @return this assertion
     */
    public ComparisonAssert hasRobustAccuracyNotWorseBy(Attack attack, double margin) {
        isNotNull();
        Objects.requireNonNull(attack, "attack must not be null: pass e.g. Attacks.pgd().linf(0.03)");
        requireFraction(margin, "margin");
        Map<String, Object> parameters = parameters(margin);
        parameters.put("attack", attack.name());
        judgeOverall("robust accuracy under " + attack.name() + " vs baseline", parameters, margin,
                () -> robustAccuracyReport(attack));
        return myself;
    }

    /**
     * Verifies that the candidate's expected calibration error (15 bins) is not higher than the
     * baseline's by more than {@code margin}, decided on a paired bootstrap (1,000 seeded resamples).
     *
     * @param margin δ, the largest acceptable ECE increase, in [0, 1]
     * @return this assertion
     */
    public ComparisonAssert hasEceNotWorseBy(double margin) {
        isNotNull();
        requireFraction(margin, "margin");
        Map<String, Object> parameters = parameters(margin);
        parameters.put("bins", Calibration.DEFAULT_BINS);
        parameters.put("resamples", 1000);
        String check = "calibration vs baseline";
        Evidence evidence = evidence();
        label(evidence);
        CalibrationComparison result = evidence.step(check, parameters, () -> {
            CalibrationComparison measured = calibrationReport();
            evidence.metrics(check + " metrics", parameters, measured.toMap());
            return measured;
        });
        if (rule.regressed(result, margin, alpha)) {
            String ruleText = rule == RegressionRule.SIGNIFICANT_REGRESSION
                    ? "fail when the candidate's ECE is higher by more than " + margin + " and the bootstrap p < " + alpha
                    : "fail when the interval's upper bound of the ECE increase is above " + margin;
            failOrWarnWith(ShouldNotRegress.shouldNotRegress(String.valueOf(actual.candidate()),
                    String.valueOf(actual.baseline()), check, parameters, result.samples(), ruleText,
                    List.of(result.toString())));
        }
        return myself;
    }

    /**
     * Returns the clean-accuracy comparison (measuring it if no check has yet).
     *
     * @return the report
     */
    public ComparisonReport accuracyReport() {
        if (accuracy == null) {
            accuracy = comparison().accuracy();
        }
        return accuracy;
    }

    /**
     * Returns the robust-accuracy comparison under an attack, both models attacked with the same seed
     * (measuring it if no check has yet under that attack).
     *
     * @param attack the attack
     * @return the report
     */
    public ComparisonReport robustAccuracyReport(Attack attack) {
        Objects.requireNonNull(attack, "attack");
        return robustAccuracy.computeIfAbsent(attack, a -> comparison().robustAccuracy(a));
    }

    /**
     * Returns the calibration comparison: both models' ECE (15 bins) and the paired bootstrap of the increase,
     * 1,000 seeded resamples (measuring it if no check has yet).
     *
     * @return the report
     */
    public CalibrationComparison calibrationReport() {
        if (calibration == null) {
            calibration = comparison().calibration(Calibration.DEFAULT_BINS, 1000);
        }
        return calibration;
    }

    private ModelComparison comparison() {
        return actual.withConfidence(1 - 2 * alpha);
    }

    private Map<String, Object> parameters(double margin) {
        return Fields.of(
                "margin", margin,
                "alpha", alpha,
                "rule", rule.name(),
                "dataset", actual.data().name(),
                "samples", actual.data().size(),
                "seed", actual.seed());
    }

    private void judgeOverall(String check, Map<String, Object> parameters, double margin,
            Supplier<ComparisonReport> measure) {
        ComparisonReport report = record(check, parameters, measure);
        failIfAny(check, parameters, rule.regressed(report.overall(), margin, alpha, false)
                ? List.of(report.overall()) : List.of());
    }

    private void failIfAny(String check, Map<String, Object> parameters, List<PairedComparison> regressed) {
        if (!regressed.isEmpty()) {
            double margin = (double) parameters.get("margin");
            failOrWarnWith(ShouldNotRegress.shouldNotRegress(String.valueOf(actual.candidate()),
                    String.valueOf(actual.baseline()), check, parameters, actual.data().size(),
                    rule.describe(margin, alpha), regressed.stream().map(PairedComparison::toString).toList()));
        }
    }

    private void label(Evidence evidence) {
        ModelLabels.record(evidence, actual.candidate(), actual.data());
        evidence.label("baseline", actual.baseline().fingerprint().substring(0, 12));
    }

    private ComparisonReport record(String check, Map<String, Object> parameters, Supplier<ComparisonReport> measure) {
        Evidence evidence = evidence();
        label(evidence);
        return evidence.step(check, parameters, () -> {
            ComparisonReport report = measure.get();
            evidence.metrics(check + " metrics", parameters, report.toMap());
            if (evidence.isRecording()) {
                recordPictures(evidence, check, report);
            }
            return report;
        });
    }

    private void recordPictures(Evidence evidence, String check, ComparisonReport report) {
        List<List<String>> rows = new ArrayList<>();
        for (PairedComparison c : report.perClass()) {
            rows.add(List.of(c.group(), Integer.toString(c.samples()), f(c.baselineAccuracy()), f(c.candidateAccuracy()),
                    String.format(Locale.ROOT, "%+.4f", c.difference().estimate()),
                    String.format(Locale.ROOT, "[%+.4f, %+.4f]", c.difference().lower(), c.difference().upper()),
                    Integer.toString(c.test().b()), Integer.toString(c.test().c()), g(c.test().midPOneSided()),
                    g(c.test().exactOneSided()), g(c.holmMidP())));
        }
        evidence.table(new Table(check + " per class", List.of("class", "samples", "baseline", "candidate",
                "difference", "Newcombe " + Math.round(actual.withConfidence(1 - 2 * alpha).confidence() * 100)
                        + "% interval", "regressions (b)", "improvements (c)", "mid-p (one-sided)",
                "exact p (one-sided)", "Holm mid-p"), rows));
        int[] byClass = report.regressionsByClass();
        List<String> classes = new ArrayList<>();
        double[] counts = new double[byClass.length];
        for (int c = 0; c < byClass.length; c++) {
            classes.add(Integer.toString(c));
            counts[c] = byClass[c];
        }
        evidence.chart(new BarChart(check + ": regressions by class (baseline right, candidate wrong)", "true class",
                "regressions", classes, counts));
        int[][] confusion = report.regressionConfusion();
        List<String> header = new ArrayList<>(List.of("true class \\ candidate predicted"));
        classes.forEach(header::add);
        List<List<String>> confusionRows = new ArrayList<>();
        for (int c = 0; c < confusion.length; c++) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(c)));
            for (int v : confusion[c]) {
                row.add(Integer.toString(v));
            }
            confusionRows.add(row);
        }
        evidence.table(new Table(check + ": confusion of the regressions", header, confusionRows));
        recordFlips(evidence, check, report);
    }

    private void recordFlips(Evidence evidence, String check, ComparisonReport report) {
        if (report.regressions().isEmpty() && report.improvements().isEmpty()) {
            return;
        }
        Dataset data = actual.data();
        int[] size = greyImageSize(data);
        if (size != null) {
            List<ImageGrid.Tile> tiles = new ArrayList<>();
            for (Flip flip : report.regressions()) {
                tiles.add(tile("regressed", flip, data, size));
            }
            for (Flip flip : report.improvements()) {
                tiles.add(tile("improved", flip, data, size));
            }
            evidence.imageGrid(new ImageGrid(check + ": where the models disagree", 6, tiles));
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (Flip flip : report.regressions()) {
                rows.add(flipRow("regressed", flip));
            }
            for (Flip flip : report.improvements()) {
                rows.add(flipRow("improved", flip));
            }
            evidence.table(new Table(check + ": where the models disagree", List.of("kind", "sample", "true class",
                    "baseline prediction", "candidate prediction"), rows));
        }
    }

    private static ImageGrid.Tile tile(String kind, Flip flip, Dataset data, int[] size) {
        return new ImageGrid.Tile(String.format(Locale.ROOT, "%s #%d: true %d\nbaseline %d, candidate %d", kind,
                flip.index(), flip.label(), flip.baselinePrediction(), flip.candidatePrediction()), size[1], size[0],
                data.features(flip.index()), ImageGrid.Palette.GREY);
    }

    private static List<String> flipRow(String kind, Flip flip) {
        return List.of(kind, Integer.toString(flip.index()), Integer.toString(flip.label()),
                Integer.toString(flip.baselinePrediction()), Integer.toString(flip.candidatePrediction()));
    }

    private static String f(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String g(double value) {
        return String.format(Locale.ROOT, "%.3g", value);
    }
}

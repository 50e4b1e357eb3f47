package dev.gauntlet.assertj;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.LineChart;
import dev.gauntlet.report.Table;
import dev.gauntlet.shift.DriftResult;
import dev.gauntlet.shift.DriftDetector;
import dev.gauntlet.shift.FeatureTest;
import dev.gauntlet.shift.MixedDrift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Assertions that a current sample has (or has not) drifted from a reference sample. Evidence:
 * the test's metrics JSON, a table of the smallest per-feature p-values and histogram overlays
 * (reference vs current) of the most drifted features, all naming the features when
 * {@link #withFeatureNames(List)} (or a {@link MixedDrift} with names) gives them; a
 * {@link MixedDrift} also records which test ran on which column.
 */
public class DriftAssert extends GauntletAssert<DriftAssert, DataComparison> {

    private List<String> featureNames;
    private final Map<DriftDetector, Measured> results = new HashMap<>();

    /** A test's result, with the per-column outcome where the test is mixed. */
    private record Measured(DriftResult result, MixedDrift.Outcome outcome) {}

    /**
     * Creates the assertion; prefer {@code assertThatData(reference).comparedTo(current)}.
     *
     * @param actual the two samples
     */
    public DriftAssert(DataComparison actual) {
        super(actual, DriftAssert.class);
    }

    /**
     * Names the features in evidence and failure messages, e.g. the CSV header's column names.
     *
     * <pre>{@code
     * assertThatData(train).comparedTo(production).withFeatureNames(List.of("age", "income"))
     *         .showsNoDrift(KsDrift.ks().fdr());   // fails with "drifted features [0] [age]"
     * }</pre>
     *
     * @param names one name per feature, in feature order
     * @return this assertion
     */
    public DriftAssert withFeatureNames(List<String> names) {
        isNotNull();
        List<String> copy = List.copyOf(names);
        if (copy.size() != actual.reference().featureCount()) {
            throw new IllegalArgumentException(copy.size() + " feature names for reference '"
                    + actual.reference().name() + "' with " + actual.reference().featureCount()
                    + " features; give one name per feature, in order");
        }
        this.featureNames = copy;
        return myself;
    }

    /**
     * Verifies that the test detects no drift.
     *
     * @param test e.g. {@code KsDrift.ks().fdr()} or {@code MmdDrift.mmd()}
     * @return this assertion
     */
    public DriftAssert showsNoDrift(DriftDetector test) {
        DriftResult result = run(test, "no drift");
        if (result.drift()) {
            failUnlessAtLeast("drift by " + test.name(), parameters(test), actual.current().size(),
                    "p-value (drifted features " + Arrays.toString(result.driftedFeatures())
                            + named(result.driftedFeatures()) + ")", result.threshold(),
                    result.pValue());
        }
        return myself;
    }

    /**
     * Verifies that the test detects drift, e.g. to prove a monitor would catch a known shift.
     *
     * @param test the drift test
     * @return this assertion
     */
    public DriftAssert showsDrift(DriftDetector test) {
        DriftResult result = run(test, "drift");
        if (!result.drift()) {
            failUnlessAtMost("drift by " + test.name(), parameters(test), actual.current().size(), "p-value",
                    result.threshold(), result.pValue());
        }
        return myself;
    }

    /**
     * Verifies that the test finds drift on (at least) the given features.
     *
     * @param test a per-feature test such as KS
     * @param features the feature indices expected to drift
     * @return this assertion
     */
    public DriftAssert driftsOnFeatures(DriftDetector test, int... features) {
        DriftResult result = run(test, "drift on features " + Arrays.toString(features));
        int[] drifted = result.driftedFeatures();
        for (int feature : features) {
            if (Arrays.stream(drifted).noneMatch(f -> f == feature)) {
                double p = result.features().stream().filter(f -> f.feature() == feature)
                        .mapToDouble(FeatureTest::pValue).findFirst().orElse(Double.NaN);
                failUnlessAtMost("drift by " + test.name() + " on feature " + label(feature), parameters(test),
                        actual.current().size(), "p-value of feature " + label(feature) + " (drifted: "
                                + Arrays.toString(drifted) + named(drifted) + ")", result.threshold(), p);
            }
        }
        return myself;
    }

    /**
     * Returns a test's result on the reference and current data (running it if no check has yet with that test).
     *
     * @param test the drift test
     * @return the result
     */
    public DriftResult result(DriftDetector test) {
        Objects.requireNonNull(test, "test");
        return measure(test).result();
    }

    private Measured measure(DriftDetector test) {
        return results.computeIfAbsent(test, t -> {
            if (t instanceof MixedDrift mixed) {
                MixedDrift named = mixed.featureNames() == null && featureNames != null
                        ? mixed.featureNames(featureNames) : mixed;
                MixedDrift.Outcome outcome = named.run(actual.reference(), actual.current());
                return new Measured(outcome.result(), outcome);
            }
            return new Measured(t.test(actual.reference(), actual.current(), actual.seed()), null);
        });
    }

    /** " [age, income]" when the features have names, else "". */
    private String named(int[] features) {
        List<String> names = featureNames;
        return names == null ? "" : " " + Arrays.stream(features).mapToObj(names::get).toList();
    }

    private String label(int feature) {
        return featureNames == null ? Integer.toString(feature) : feature + " (" + featureNames.get(feature) + ")";
    }

    private Map<String, Object> parameters(DriftDetector test) {
        return Fields.of(
                "test", test.name(),
                "reference", actual.reference().name() + " (" + actual.reference().size() + ")",
                "current", actual.current().name() + " (" + actual.current().size() + ")",
                "seed", actual.seed());
    }

    private DriftResult run(DriftDetector test, String expectation) {
        isNotNull();
        Objects.requireNonNull(test, "test");
        Evidence evidence = evidence();
        Map<String, Object> parameters = parameters(test);
        parameters.put("expectation", expectation);
        return evidence.step(test.name(), parameters, () -> {
            Measured measured = measure(test);
            DriftResult result = measured.result();
            Map<String, Object> metrics = new LinkedHashMap<>(parameters);
            Map<Integer, String> kinds = new HashMap<>();
            if (measured.outcome() != null) {
                if (featureNames == null) {
                    featureNames = ((MixedDrift) test).featureNames();
                }
                metrics.putAll(measured.outcome().toMap());
                measured.outcome().columns().forEach(c -> kinds.put(c.feature(), c.kind().label()));
            } else {
                metrics.putAll(result.toMap());
            }
            if (featureNames != null) {
                metrics.put("featureNames", featureNames);
                metrics.put("driftedFeatureNames", Arrays.stream(result.driftedFeatures())
                        .mapToObj(featureNames::get).toList());
            }
            evidence.metrics("drift metrics", metrics);
            if (evidence.isRecording() && !result.features().isEmpty()) {
                List<FeatureTest> smallest = result.features().stream()
                        .sorted(Comparator.comparingDouble(FeatureTest::pValue)).limit(20).toList();
                List<List<String>> rows = new ArrayList<>();
                for (FeatureTest f : smallest) {
                    rows.add(List.of(label(f.feature()), kinds.getOrDefault(f.feature(), ""),
                            String.format("%.4f", f.statistic()), String.format("%.3g", f.pValue()),
                            f.pValue() < result.threshold() ? "drift" : ""));
                }
                evidence.table(new Table("smallest p-values", List.of("feature", "test", "statistic", "p-value",
                        "verdict"), rows));
                for (FeatureTest f : smallest.subList(0, Math.min(2, smallest.size()))) {
                    Map<String, double[]> groups = new LinkedHashMap<>();
                    groups.put("reference", column(actual.reference(), f.feature()));
                    groups.put("current", column(actual.current(), f.feature()));
                    evidence.chart(histogram(String.format(Locale.ROOT, "feature %s: reference vs current"
                            + " (p = %.3g)", label(f.feature()), f.pValue()), "value of " + label(f.feature()),
                            groups, 30));
                }
            }
            if (evidence.isRecording() && result.nullStatistics().length > 0) {
                Map<String, double[]> groups = new LinkedHashMap<>();
                groups.put("permutations", result.nullStatistics());
                LineChart null0 = histogram(test.name() + ": permutation statistics",
                        "statistic", groups, 30);
                double top = null0.series().get(0).y().length == 0 ? 1
                        : Arrays.stream(null0.series().get(0).y()).max().orElse(1);
                List<LineChart.Series> series = new ArrayList<>(null0.series());
                series.add(new LineChart.Series("observed", new double[] {result.statistic(),
                    result.statistic()}, new double[] {0, top}));
                evidence.chart(new LineChart(null0.title(), null0.xLabel(), null0.yLabel(), series));
            }
            return result;
        });
    }

    private static double[] column(Dataset data, int feature) {
        double[] values = new double[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.features(i)[feature];
        }
        return values;
    }
}

package dev.gauntlet.assertj;

import dev.gauntlet.counterfactual.Counterfactual;
import dev.gauntlet.counterfactual.CounterfactualReport;
import dev.gauntlet.counterfactual.Distance;
import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.Standardizer;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.ImageGrid;
import dev.gauntlet.report.ModelLabels;
import dev.gauntlet.report.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Assertions on counterfactuals: that they exist (recourse), that they are not tiny (robustness)
 * and that they are sparse. The evidence is the metrics JSON and, for images, a grid of
 * original | counterfactual | difference with classes and probabilities; for tabular data, a
 * table of the changed features, before → after (in original units with
 * {@link #inOriginalUnits(Standardizer)}).
 *
 * <pre>{@code
 * assertThatModel(model).on(test).counterfactuals(wachter(), train)
 *         .areValidFor(0.9).haveMedianDistanceAtLeast(0.5).changeAtMostFeatures(3);
 * }</pre>
 */
public class CounterfactualAssert extends GauntletAssert<CounterfactualAssert, CounterfactualSubject> {

    private static final int SHOWN = 8;

    private CounterfactualReport report;
    private Standardizer units;
    private List<String> featureNames = List.of();

    /**
     * Creates the assertion; prefer {@code assertThatModel(model).on(data).counterfactuals(method, train)}.
     *
     * @param actual the model, data, method and reference data
     */
    public CounterfactualAssert(CounterfactualSubject actual) {
        super(actual, CounterfactualAssert.class);
    }

    /**
     * Shows tabular evidence in the units the standardiser was fitted on.
     *
     * @param scaler the standardiser that produced the model's inputs
     * @return this assertion
     */
    public CounterfactualAssert inOriginalUnits(Standardizer scaler) {
        this.units = Objects.requireNonNull(scaler, "scaler");
        return myself;
    }

    /**
     * Names the features in tabular evidence.
     *
     * @param names one name per feature
     * @return this assertion
     */
    public CounterfactualAssert withFeatureNames(String... names) {
        this.featureNames = List.of(names);
        return myself;
    }

    /**
     * Verifies that at least {@code fraction} of the samples get a valid counterfactual.
     *
     * @param fraction the least acceptable validity rate, in [0, 1]
     * @return this assertion
     */
    public CounterfactualAssert areValidFor(double fraction) {
        isNotNull();
        requireFraction(fraction, "fraction");
        Map<String, Object> parameters = parameters("fraction", fraction);
        CounterfactualReport result = measure("counterfactual validity", parameters);
        failUnlessAtLeast("counterfactual validity", parameters, result.samples(), "fraction with a valid counterfactual",
                fraction, result.validity());
        return myself;
    }

    /**
     * Verifies that the median distance of the valid counterfactuals, in the method's own distance,
     * is at least {@code threshold}: the model's decisions are not a hair's breadth away.
     *
     * @param threshold the least acceptable median distance
     * @return this assertion
     */
    public CounterfactualAssert haveMedianDistanceAtLeast(double threshold) {
        return haveMedianDistanceAtLeast(actual.method().distance(), threshold);
    }

    /**
     * Verifies the median distance of the valid counterfactuals in a chosen distance.
     *
     * @param distance which distance
     * @param threshold the least acceptable median distance
     * @return this assertion
     */
    public CounterfactualAssert haveMedianDistanceAtLeast(Distance distance, double threshold) {
        isNotNull();
        Objects.requireNonNull(distance, "distance");
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite and >= 0, got " + threshold);
        }
        Map<String, Object> parameters = parameters("threshold", threshold);
        parameters.put("distance", distance.name());
        CounterfactualReport result = measure("counterfactual distance", parameters);
        failUnlessAtLeast("counterfactual distance", parameters, result.samples(), "median " + distance
                + " distance of valid counterfactuals", threshold, result.medianDistance(distance));
        return myself;
    }

    /**
     * Verifies that the median valid counterfactual changes at most {@code count} features.
     *
     * @param count the most features the median counterfactual may change, {@code >= 0}
     * @return this assertion
     */
    public CounterfactualAssert changeAtMostFeatures(int count) {
        isNotNull();
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        Map<String, Object> parameters = parameters("count", count);
        CounterfactualReport result = measure("counterfactual sparsity", parameters);
        failUnlessAtMost("counterfactual sparsity", parameters, result.samples(), "median number of changed features",
                count, result.medianChangedFeatures());
        return myself;
    }

    /**
     * Returns the counterfactual report (searching if no check has yet).
     *
     * @return the report
     */
    public CounterfactualReport report() {
        if (report == null) {
            ModelOnData target = actual.target();
            report = actual.method().explain(target.classifier(), target.data(), actual.reference());
        }
        return report;
    }

    private Map<String, Object> parameters(String name, Object value) {
        return Fields.of(
                name, value,
                "method", actual.method().name(),
                "dataset", actual.target().data().name(),
                "samples", actual.target().data().size(),
                "reference", actual.reference().name());
    }

    private CounterfactualReport measure(String check, Map<String, Object> parameters) {
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.target().classifier(), actual.target().data());
        return evidence.step(check, parameters, () -> {
            CounterfactualReport result = report();
            evidence.metrics(check + " metrics", parameters, result.toMap());
            if (evidence.isRecording()) {
                record(evidence, result, actual.target().data());
            }
            return result;
        });
    }

    private void record(Evidence evidence, CounterfactualReport result, Dataset data) {
        List<Counterfactual> shown = result.counterfactuals().stream().filter(Counterfactual::valid).limit(SHOWN)
                .toList();
        int[] size = greyImageSize(data);
        if (size != null) {
            int height = size[0];
            int width = size[1];
            List<ImageGrid.Tile> tiles = new ArrayList<>();
            for (Counterfactual cf : shown) {
                float[] difference = new float[cf.original().length];
                for (int i = 0; i < difference.length; i++) {
                    difference[i] = cf.counterfactual()[i] - cf.original()[i];
                }
                tiles.add(new ImageGrid.Tile("class " + cf.originalClass(), width, height, cf.original(),
                        ImageGrid.Palette.GREY));
                tiles.add(new ImageGrid.Tile(String.format("class %d, p = %.2f", cf.counterfactualClass(),
                        cf.counterfactualProbabilities()[cf.counterfactualClass()]), width, height, cf.counterfactual(),
                        ImageGrid.Palette.GREY));
                tiles.add(new ImageGrid.Tile(String.format("difference\nL1 %.2f, %d px", cf.l1(), cf.changedFeatures()),
                        width, height, difference, ImageGrid.Palette.DIVERGING));
            }
            if (!tiles.isEmpty()) {
                evidence.imageGrid(new ImageGrid("counterfactuals: original | counterfactual | difference", 3, tiles));
            }
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Counterfactual cf : shown) {
            for (int j = 0; j < cf.original().length; j++) {
                double before = cf.original()[j];
                double after = cf.counterfactual()[j];
                if (Math.abs(after - before) <= Counterfactual.CHANGE_TOLERANCE) {
                    continue;
                }
                if (units != null) {
                    before = before * units.stds()[j] + units.means()[j];
                    after = after * units.stds()[j] + units.means()[j];
                }
                rows.add(List.of(Integer.toString(cf.index()), j < featureNames.size() ? featureNames.get(j)
                        : "feature " + j, String.format("%.4g", before), String.format("%.4g", after),
                        cf.originalClass() + " → " + cf.counterfactualClass()));
            }
        }
        evidence.table(new Table("changed features" + (units != null ? " (original units)" : ""),
                List.of("sample", "feature", "before", "after", "class"), rows));
    }
}

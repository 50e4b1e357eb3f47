package dev.gauntlet.assertj;

import dev.gauntlet.explain.anchor.AnchorReport;
import dev.gauntlet.explain.anchor.Anchors;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.ModelLabels;
import dev.gauntlet.report.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Assertions on the anchors (Ribeiro et al. 2018) of a model's predictions: every sample's rule
 * must be precise, and the rules must cover enough data to mean something. Evidence: the rules as
 * a table with their precision and coverage.
 *
 * <pre>{@code
 * assertThatModel(model).on(test.head(20)).anchors(train).havePrecisionAtLeast(0.95).haveCoverageAtLeast(0.05);
 * }</pre>
 */
public class AnchorAssert extends GauntletAssert<AnchorAssert, TrustSubject> {

    private AnchorReport report;

    /**
     * Creates the assertion; prefer {@code assertThatModel(model).on(data).anchors(train)}.
     *
     * @param actual the model, the samples and the training data
     */
    public AnchorAssert(TrustSubject actual) {
        super(actual, AnchorAssert.class);
    }

    /**
     * Verifies that every sample's anchor has precision at least {@code threshold}.
     *
     * @param threshold the least precision, in [0, 1]
     * @return this assertion
     */
    public AnchorAssert havePrecisionAtLeast(double threshold) {
        return haveAtLeast("anchor precision", "smallest anchor precision", threshold, AnchorReport::worstPrecision);
    }

    /**
     * Verifies that the median coverage of the samples' anchors is at least {@code threshold}.
     *
     * @param threshold the least median coverage, in [0, 1]
     * @return this assertion
     */
    public AnchorAssert haveCoverageAtLeast(double threshold) {
        return haveAtLeast("anchor coverage", "median anchor coverage", threshold, AnchorReport::medianCoverage);
    }

    private AnchorAssert haveAtLeast(String check, String metric, double threshold,
            ToDoubleFunction<AnchorReport> value) {
        requireFraction(threshold, "threshold");
        AnchorReport found = measure(check, threshold);
        failUnlessAtLeast(check, Map.of("threshold", threshold), found.anchors().size(), metric, threshold,
                value.applyAsDouble(found));
        return myself;
    }

    /**
     * Returns the anchors (searching them if no check has yet).
     *
     * @return one anchor per sample
     */
    public List<Anchors.Anchor> anchors() {
        return report().anchors();
    }

    /**
     * Returns the anchors with the numbers bars judge (searching them if no check has yet).
     *
     * @return the report
     */
    public AnchorReport report() {
        if (report == null) {
            report = AnchorReport.of(Anchors.fit(actual.train()), actual.target().classifier(), actual.target().data(),
                    actual.target().seed());
        }
        return report;
    }

    private AnchorReport measure(String check, double threshold) {
        isNotNull();
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.target().classifier(), actual.target().data());
        Map<String, Object> parameters = Fields.of(
                "threshold", threshold,
                "dataset", actual.target().data().name(),
                "samples", actual.target().data().size());
        return evidence.step(check, parameters, () -> {
            AnchorReport found = report();
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < found.anchors().size(); i++) {
                Anchors.Anchor a = found.anchors().get(i);
                rows.add(List.of(Integer.toString(i), a.rule(), Integer.toString(a.predictedClass()),
                        String.format("%.3f", a.precision()), String.format("%.3f", a.coverage())));
            }
            evidence.table(new Table("anchors", List.of("sample", "rule", "class", "precision", "coverage"), rows));
            return found;
        });
    }
}

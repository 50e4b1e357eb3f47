package dev.gauntlet.assertj;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.explain.Anchors;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.ModelLabels;
import dev.gauntlet.report.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private List<Anchors.Anchor> anchors;

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
        requireFraction(threshold, "threshold");
        List<Anchors.Anchor> found = measure("anchor precision", threshold);
        double worst = found.stream().mapToDouble(Anchors.Anchor::precision).min().orElse(Double.NaN);
        failUnlessAtLeast("anchor precision", Map.of("threshold", threshold), found.size(),
                "smallest anchor precision", threshold, worst);
        return myself;
    }

    /**
     * Verifies that the median coverage of the samples' anchors is at least {@code threshold}.
     *
     * @param threshold the least median coverage, in [0, 1]
     * @return this assertion
     */
    public AnchorAssert haveCoverageAtLeast(double threshold) {
        requireFraction(threshold, "threshold");
        List<Anchors.Anchor> found = measure("anchor coverage", threshold);
        double[] coverage = found.stream().mapToDouble(Anchors.Anchor::coverage).sorted().toArray();
        double median = coverage.length % 2 == 1 ? coverage[coverage.length / 2]
                : (coverage[coverage.length / 2 - 1] + coverage[coverage.length / 2]) / 2;
        failUnlessAtLeast("anchor coverage", Map.of("threshold", threshold), found.size(), "median anchor coverage",
                threshold, median);
        return myself;
    }

    /**
     * Returns the anchors (searching them if no check has yet).
     *
     * @return one anchor per sample
     */
    public List<Anchors.Anchor> anchors() {
        if (anchors == null) {
            Dataset data = actual.target().data();
            Anchors explainer = Anchors.fit(actual.train());
            anchors = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                anchors.add(explainer.explain(actual.target().classifier(), data.features(i), actual.target().seed() + i));
            }
        }
        return anchors;
    }

    private List<Anchors.Anchor> measure(String check, double threshold) {
        isNotNull();
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.target().classifier(), actual.target().data());
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("threshold", threshold);
        parameters.put("dataset", actual.target().data().name());
        parameters.put("samples", actual.target().data().size());
        return evidence.step(check, parameters, () -> {
            List<Anchors.Anchor> found = anchors();
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < found.size(); i++) {
                Anchors.Anchor a = found.get(i);
                rows.add(List.of(Integer.toString(i), a.rule(), Integer.toString(a.predictedClass()),
                        String.format("%.3f", a.precision()), String.format("%.3f", a.coverage())));
            }
            evidence.table(new Table("anchors", List.of("sample", "rule", "class", "precision", "coverage"), rows));
            return found;
        });
    }
}

package dev.gauntlet.assertj;

import dev.gauntlet.certify.RandomizedSmoothing;
import dev.gauntlet.certify.SmoothingReport;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.LineChart;
import dev.gauntlet.report.ModelLabels;

import java.util.List;
import java.util.Map;

/**
 * Assertions on a classifier smoothed with Gaussian noise ({@link RandomizedSmoothing}, Cohen et
 * al. 2019): certified L2 radii for any model, black-box. The certification runs once per
 * assertion object; every check records the metrics (with per-sample radii) and the chart of
 * certified accuracy against the L2 radius before it can fail.
 *
 * <pre>{@code
 * assertThatModel(model).on(sample).smoothed(RandomizedSmoothing.gaussian(0.25))
 *         .hasCertifiedAccuracyAtLeast(0.5, 0.6)   // passes if 66% are certified correct within L2 0.5
 *         .hasAbstentionRateAtMost(0.1);           // fails if the smoothed model abstains on 12%
 * }</pre>
 */
public class SmoothingAssert extends GauntletAssert<SmoothingAssert, SmoothingSubject> {

    private SmoothingReport report;

    /**
     * Creates the assertion; prefer {@code assertThatModel(m).on(data).smoothed(smoothing)}.
     *
     * @param actual the model, data and smoothing
     */
    public SmoothingAssert(SmoothingSubject actual) {
        super(actual, SmoothingAssert.class);
    }

    /**
     * Verifies that at least {@code threshold} of the samples are certified as their label within
     * the L2 radius {@code radius}.
     *
     * @param radius the L2 radius, at least 0
     * @param threshold the least acceptable certified accuracy, in [0, 1]
     * @return this assertion
     */
    public SmoothingAssert hasCertifiedAccuracyAtLeast(double radius, double threshold) {
        isNotNull();
        if (!(radius >= 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException("radius must be a finite number >= 0, got " + radius);
        }
        requireFraction(threshold, "threshold");
        Map<String, Object> parameters = parameters("threshold", threshold);
        parameters.put("radius", radius);
        SmoothingReport result = measure("certified accuracy", parameters);
        failUnlessAtLeast("certified accuracy within L2 radius " + radius, parameters, result.samples(),
                "certified accuracy", threshold, result.certifiedAccuracyAt(radius));
        return myself;
    }

    /**
     * Verifies that the smoothed classifier abstains on at most {@code threshold} of the samples.
     *
     * @param threshold the largest acceptable abstention rate, in [0, 1]
     * @return this assertion
     */
    public SmoothingAssert hasAbstentionRateAtMost(double threshold) {
        isNotNull();
        requireFraction(threshold, "threshold");
        Map<String, Object> parameters = parameters("threshold", threshold);
        SmoothingReport result = measure("abstention rate", parameters);
        failUnlessAtMost("abstention rate of the smoothed classifier", parameters, result.samples(), "abstention rate",
                threshold, result.abstentionRate());
        return myself;
    }

    /**
     * Returns the certificates (computing them if no check has yet).
     *
     * @return the report
     */
    public SmoothingReport report() {
        if (report == null) {
            ModelOnData target = actual.target();
            report = actual.smoothing().certify(target.classifier(), target.data(), target.seed());
        }
        return report;
    }

    private Map<String, Object> parameters(String name, Object value) {
        return Fields.of(
                name, value,
                "smoothing", actual.smoothing().name(),
                "dataset", actual.target().data().name(),
                "samples", actual.target().data().size(),
                "seed", actual.target().seed());
    }

    private SmoothingReport measure(String check, Map<String, Object> parameters) {
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.target().classifier(), actual.target().data());
        return evidence.step(check + " of " + actual.smoothing().name(), parameters, () -> {
            SmoothingReport r = report();
            evidence.metrics(check + " metrics", parameters, r.toMap());
            double largest = 0;
            for (var certificate : r.certificates()) {
                largest = Math.max(largest, certificate.radius());
            }
            int points = 21;
            double[] radii = new double[points];
            double[] accuracy = new double[points];
            for (int i = 0; i < points; i++) {
                radii[i] = largest * i / (points - 1);
                accuracy[i] = r.certifiedAccuracyAt(radii[i]);
            }
            evidence.chart(new LineChart("certified accuracy vs L2 radius", "L2 radius", "certified accuracy",
                    List.of(new LineChart.Series(actual.smoothing().name(), radii, accuracy))));
            return r;
        });
    }
}

package dev.gauntlet.assertj;

import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.ModelLabels;
import dev.gauntlet.trust.TrustReport;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Assertions on trust scores (Jiang et al. 2018, alibi's defaults) of a classifier's predictions,
 * fitted on its training data. The evidence: the metrics JSON — with the AUROC of the max-softmax
 * confidence beside the trust score's, to show whether the trust score adds anything — and the
 * trust-score histograms of correct and wrong predictions.
 *
 * <pre>{@code
 * assertThatModel(cnn).on(test).trustScores(train).separatesErrorsWithAurocAtLeast(0.75);
 * }</pre>
 */
public class TrustScoreAssert extends GauntletAssert<TrustScoreAssert, TrustSubject> {

    private TrustReport report;

    /**
     * Creates the assertion; prefer {@code assertThatModel(model).on(data).trustScores(train)}.
     *
     * @param actual the model, the data to score and the training data
     */
    public TrustScoreAssert(TrustSubject actual) {
        super(actual, TrustScoreAssert.class);
    }

    /**
     * Verifies that the trust score ranks correct predictions above wrong ones with an AUROC of
     * at least {@code threshold}.
     *
     * @param threshold the least acceptable AUROC, in [0, 1]
     * @return this assertion
     */
    public TrustScoreAssert separatesErrorsWithAurocAtLeast(double threshold) {
        isNotNull();
        requireFraction(threshold, "threshold");
        Map<String, Object> parameters = parameters("threshold", threshold);
        TrustReport result = measure(parameters);
        failUnlessAtLeast("trust score separates errors", parameters, actual.target().data().size(),
                "AUROC (correct vs wrong)", threshold, result.trustScoreAuroc());
        return myself;
    }

    /**
     * Verifies that at most {@code fraction} of the predictions have a trust score below 1, i.e.
     * lie closer to another class's training data than to the predicted class's.
     *
     * @param fraction the largest acceptable fraction, in [0, 1]
     * @return this assertion
     */
    public TrustScoreAssert lowTrustFractionAtMost(double fraction) {
        isNotNull();
        requireFraction(fraction, "fraction");
        Map<String, Object> parameters = parameters("fraction", fraction);
        TrustReport result = measure(parameters);
        failUnlessAtMost("low trust fraction", parameters, actual.target().data().size(), "fraction with trust score < 1",
                fraction, result.lowTrustFraction());
        return myself;
    }

    /**
     * Returns the trust report (measuring it if no check has yet).
     *
     * @return the report
     */
    public TrustReport report() {
        if (report == null) {
            report = TrustReport.of(actual.target().classifier(), actual.target().data(), actual.train());
        }
        return report;
    }

    private Map<String, Object> parameters(String name, Object value) {
        return Fields.of(
                name, value,
                "train", actual.train().name() + " (" + actual.train().size() + ")",
                "dataset", actual.target().data().name(),
                "samples", actual.target().data().size(),
                "filter", "distance_knn, k_filter 10, alpha 0",
                "k", 2);
    }

    private TrustReport measure(Map<String, Object> parameters) {
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.target().classifier(), actual.target().data());
        return evidence.step("trust score", parameters, () -> {
            TrustReport result = report();
            evidence.metrics("trust score metrics", parameters, result.toMap());
            if (evidence.isRecording()) {
                Map<String, double[]> groups = new LinkedHashMap<>();
                groups.put("correct", Arrays.stream(result.scoresOf(true)).map(d -> Math.log10(d + 1e-12)).toArray());
                groups.put("wrong", Arrays.stream(result.scoresOf(false)).map(d -> Math.log10(d + 1e-12)).toArray());
                evidence.chart(histogram("trust score of correct and wrong predictions", "log10(trust score)",
                        groups, 30));
            }
            return result;
        });
    }
}

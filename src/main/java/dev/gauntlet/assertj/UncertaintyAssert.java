package dev.gauntlet.assertj;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.ModelLabels;
import dev.gauntlet.uncertainty.OutOfDistributionReport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Assertions on a classifier's uncertainty, sampled by MC dropout or an ensemble. The evidence:
 * the metrics JSON (AUROC of mutual information, predictive entropy and variation ratio) and the
 * histograms of mutual information in and out of distribution.
 *
 * <pre>{@code
 * assertThatModel(cnn).on(test).uncertainty(mcDropout(30)).detectsOutOfDistributionWithAurocAtLeast(noise, 0.8);
 * }</pre>
 */
public class UncertaintyAssert extends GauntletAssert<UncertaintyAssert, UncertaintySubject> {

    /**
     * Creates the assertion; prefer {@code assertThatModel(model).on(data).uncertainty(method)}.
     *
     * @param actual the model, the in-distribution data and the sampling method
     */
    public UncertaintyAssert(UncertaintySubject actual) {
        super(actual, UncertaintyAssert.class);
    }

    /**
     * Verifies that mutual information (epistemic uncertainty, BALD) ranks out-of-distribution
     * samples above in-distribution ones with an AUROC of at least {@code threshold}.
     *
     * @param outOfDistribution samples the model was not trained for, of its input shape
     * @param threshold the least acceptable AUROC, in [0, 1]
     * @return this assertion
     */
    public UncertaintyAssert detectsOutOfDistributionWithAurocAtLeast(Dataset outOfDistribution, double threshold) {
        isNotNull();
        Objects.requireNonNull(outOfDistribution, "outOfDistribution");
        requireFraction(threshold, "threshold");
        Map<String, Object> parameters = Fields.of(
                "threshold", threshold,
                "method", actual.method().name(),
                "in-distribution", actual.target().data().name() + " (" + actual.target().data().size() + ")",
                "out-of-distribution", outOfDistribution.name() + " (" + outOfDistribution.size() + ")",
                "seed", actual.target().seed());
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.target().classifier(), actual.target().data());
        OutOfDistributionReport report = evidence.step("out-of-distribution detection", parameters, () -> {
            OutOfDistributionReport result = OutOfDistributionReport.of(actual.method(), actual.target().classifier(),
                    actual.target().data(), outOfDistribution, actual.target().seed());
            evidence.metrics("uncertainty metrics", parameters, result.toMap());
            if (evidence.isRecording()) {
                Map<String, double[]> groups = new LinkedHashMap<>();
                groups.put("in-distribution", result.in().mutualInformation());
                groups.put("out-of-distribution", result.out().mutualInformation());
                evidence.chart(histogram("mutual information in and out of distribution", "mutual information (nats)",
                        groups, 30));
            }
            return result;
        });
        failUnlessAtLeast("out-of-distribution detection with " + actual.method().name(), parameters,
                actual.target().data().size() + outOfDistribution.size(), "AUROC of mutual information", threshold,
                report.mutualInformationAuroc());
        return myself;
    }
}

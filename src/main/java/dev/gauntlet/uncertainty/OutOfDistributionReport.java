package dev.gauntlet.uncertainty;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.report.Fields;

import java.util.Arrays;
import java.util.Map;

/**
 * How well a model's sampled uncertainty (MC dropout, an ensemble) tells out-of-distribution samples from
 * in-distribution ones: the AUROC of each uncertainty measure, out-of-distribution the positives.
 *
 * @param in the uncertainty measures of the in-distribution samples
 * @param out the uncertainty measures of the out-of-distribution samples
 * @param mutualInformationAuroc AUROC of mutual information (epistemic uncertainty, BALD)
 * @param predictiveEntropyAuroc AUROC of the predictive entropy (total uncertainty)
 * @param variationRatioAuroc AUROC of the variation ratio
 */
public record OutOfDistributionReport(UncertaintyMeasures in, UncertaintyMeasures out, double mutualInformationAuroc,
        double predictiveEntropyAuroc, double variationRatioAuroc) {

    /**
     * Samples the model's uncertainty on both datasets and compares them: the in-distribution data is sampled with
     * {@code seed}, the out-of-distribution data with {@code seed + 1}.
     *
     * @param method e.g. {@code UncertaintyMethod.mcDropout(30)}
     * @param model the model
     * @param inDistribution data like the model's training data
     * @param outOfDistribution data the model was not trained for, of its input shape
     * @param seed the seed of the sampling
     * @return the report
     */
    public static OutOfDistributionReport of(UncertaintyMethod method, Classifier model, Dataset inDistribution,
            Dataset outOfDistribution, long seed) {
        UncertaintyMeasures in = UncertaintyMeasures.of(method.sample(model, inDistribution, seed));
        UncertaintyMeasures out = UncertaintyMeasures.of(method.sample(model, outOfDistribution, seed + 1));
        return of(in, out);
    }

    /**
     * Compares given uncertainty measures.
     *
     * @param in the in-distribution measures
     * @param out the out-of-distribution measures
     * @return the report
     */
    public static OutOfDistributionReport of(UncertaintyMeasures in, UncertaintyMeasures out) {
        return new OutOfDistributionReport(in, out, Auroc.of(out.mutualInformation(), in.mutualInformation()),
                Auroc.of(out.predictiveEntropy(), in.predictiveEntropy()),
                Auroc.of(out.variationRatio(), in.variationRatio()));
    }

    /**
     * Returns the metrics as an ordered map, for JSON evidence.
     *
     * @return the AUROCs and the mean mutual information in and out of distribution
     */
    public Map<String, Object> toMap() {
        return Fields.of(
                "mutualInformationAuroc", mutualInformationAuroc,
                "predictiveEntropyAuroc", predictiveEntropyAuroc,
                "variationRatioAuroc", variationRatioAuroc,
                "meanMutualInformationIn", mean(in.mutualInformation()),
                "meanMutualInformationOut", mean(out.mutualInformation()));
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }
}

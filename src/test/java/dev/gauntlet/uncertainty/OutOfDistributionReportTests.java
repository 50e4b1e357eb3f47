package dev.gauntlet.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.model.LinearModels;

import ai.djl.Model;

import org.junit.jupiter.api.Test;

/** The out-of-distribution report's AUROCs against the pairwise definition, on MC-dropout samples of a model. */
class OutOfDistributionReportTests {

    @Test
    void aurocs_rank_out_of_distribution_above_in_distribution_pair_by_pair() {
        Dataset in = LinearModels.cube(60, 3, 0);
        Dataset out = Dataset.builder().setFeatures(scaled(LinearModels.cube(40, 4, 0), 8)).setLabels(new int[40])
                .setNumClasses(4).build();
        try (Model model = LinearModels.linearWithDropout();
                DjlClassifier classifier = DjlClassifier.builder().setModel(model).setInputShape(3).setNumClasses(4)
                        .build()) {
            UncertaintyMethod method = UncertaintyMethod.mcDropout(10);
            OutOfDistributionReport report = OutOfDistributionReport.of(method, classifier, in, out, 5);

            UncertaintyMeasures inMeasures = UncertaintyMeasures.of(method.sample(classifier, in, 5));
            UncertaintyMeasures outMeasures = UncertaintyMeasures.of(method.sample(classifier, out, 6));
            assertThat(report.in().mutualInformation()).isEqualTo(inMeasures.mutualInformation());
            assertThat(report.out().mutualInformation()).isEqualTo(outMeasures.mutualInformation());
            assertThat(report.mutualInformationAuroc()).isCloseTo(pairwise(outMeasures.mutualInformation(),
                    inMeasures.mutualInformation()), within(1e-12));
            assertThat(report.predictiveEntropyAuroc()).isCloseTo(pairwise(outMeasures.predictiveEntropy(),
                    inMeasures.predictiveEntropy()), within(1e-12));
            assertThat(report.variationRatioAuroc()).isCloseTo(pairwise(outMeasures.variationRatio(),
                    inMeasures.variationRatio()), within(1e-12));
            double meanIn = 0;
            for (double v : inMeasures.mutualInformation()) {
                meanIn += v / in.size();
            }
            assertThat((double) report.toMap().get("meanMutualInformationIn")).isCloseTo(meanIn, within(1e-12));
        }
    }

    private static float[][] scaled(Dataset data, float factor) {
        float[][] rows = new float[data.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = data.features(i).clone();
            for (int j = 0; j < rows[i].length; j++) {
                rows[i][j] *= factor;
            }
        }
        return rows;
    }

    /** P(positive > negative), ties half, over every pair. */
    private static double pairwise(double[] positives, double[] negatives) {
        double wins = 0;
        for (double p : positives) {
            for (double n : negatives) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return wins / ((double) positives.length * negatives.length);
    }
}

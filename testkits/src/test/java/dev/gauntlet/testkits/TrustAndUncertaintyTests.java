package dev.gauntlet.testkits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.DatasetSplit;
import dev.gauntlet.model.DjlClassifier;
import dev.gauntlet.testkits.data.ReferenceData;
import dev.gauntlet.testkits.models.ReferenceModel;
import dev.gauntlet.testkits.models.ReferenceModels;
import dev.gauntlet.trust.TrustScore;
import dev.gauntlet.uncertainty.Auroc;
import dev.gauntlet.uncertainty.Calibration;
import dev.gauntlet.uncertainty.Sampling;
import dev.gauntlet.uncertainty.TemperatureScaling;
import dev.gauntlet.uncertainty.UncertaintyMeasures;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** Trust scores, calibration and uncertainty on the real Fashion-MNIST models. */
class TrustAndUncertaintyTests {

    @Test
    void temperature_scaling_fitted_on_one_half_lowers_ece_on_the_other() {
        Dataset test = ReferenceData.fashionMnist().test();
        DatasetSplit halves = test.split(0.5, 3);
        try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN)) {
            TemperatureScaling fit = TemperatureScaling.fit(cnn.logits(halves.train()), halves.train().labels());
            double before = Calibration.of(cnn.probabilities(halves.test()), halves.test().labels())
                    .expectedCalibrationError();
            double after = Calibration.of(fit.calibrate(cnn).probabilities(halves.test()), halves.test().labels())
                    .expectedCalibrationError();
            System.out.printf("[gauntlet] fashion-cnn: T = %.3f, held-out ECE %.4f -> %.4f%n", fit.temperature(),
                    before, after);
            assertThat(after).isLessThan(before);
        }
    }

    @Test
    void trust_score_separates_correct_from_wrong_predictions() {
        Dataset train = ReferenceData.fashionMnist().train().sample(20_000, 5);
        Dataset test = ReferenceData.fashionMnist().test().sample(2_000, 6);
        try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN)) {
            float[][] probabilities = cnn.probabilities(test);
            int[] predicted = cnn.predict(test);
            double[] trust = TrustScore.fit(train).score(test, predicted).scores();
            double[] projected = TrustScore.fit(train, TrustScore.Filter.DISTANCE_KNN, 10, 0, 50).score(test, predicted)
                    .scores();
            List<Double> right = new ArrayList<>();
            List<Double> wrong = new ArrayList<>();
            List<Double> rightProjected = new ArrayList<>();
            List<Double> wrongProjected = new ArrayList<>();
            List<Double> rightConfidence = new ArrayList<>();
            List<Double> wrongConfidence = new ArrayList<>();
            for (int i = 0; i < predicted.length; i++) {
                boolean correct = predicted[i] == test.label(i);
                (correct ? right : wrong).add(trust[i]);
                (correct ? rightProjected : wrongProjected).add(projected[i]);
                (correct ? rightConfidence : wrongConfidence).add((double) probabilities[i][predicted[i]]);
            }
            double trustAuroc = Auroc.of(array(right), array(wrong));
            double projectedAuroc = Auroc.of(array(rightProjected), array(wrongProjected));
            double confidenceAuroc = Auroc.of(array(rightConfidence), array(wrongConfidence));
            System.out.printf("[gauntlet] fashion-cnn, 2,000 test images, trust score fitted on 20,000 training images:"
                    + " AUROC correct-vs-wrong %.3f on raw pixels, %.3f on 50 principal components"
                    + " (max-softmax confidence %.3f)%n", trustAuroc, projectedAuroc, confidenceAuroc);
            assertThat(trustAuroc).isGreaterThanOrEqualTo(0.75);
            assertThat(projectedAuroc).isGreaterThanOrEqualTo(0.75);
        }
    }

    @Test
    void mc_dropout_mutual_information_flags_digits_as_out_of_distribution() {
        Dataset fashion = ReferenceData.fashionMnist().test().sample(1_000, 8);
        Dataset digits = ReferenceData.digitsAsFashionImages().sample(1_000, 9);
        try (DjlClassifier cnn = ReferenceModels.load(ReferenceModel.FASHION_CNN_DROPOUT)) {
            UncertaintyMeasures in = UncertaintyMeasures.of(Sampling.mcDropout(cnn, fashion, 30, 1));
            UncertaintyMeasures out = UncertaintyMeasures.of(Sampling.mcDropout(cnn, digits, 30, 2));
            double auroc = Auroc.of(out.mutualInformation(), in.mutualInformation());
            double entropy = Auroc.of(out.predictiveEntropy(), in.predictiveEntropy());
            System.out.printf("[gauntlet] fashion-cnn-dropout, MC dropout x30: OOD AUROC (UCI digits 28x28 vs"
                    + " Fashion-MNIST) mutual information %.3f, predictive entropy %.3f%n", auroc, entropy);
            assertThat(auroc).isGreaterThan(0.8);
        }
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}

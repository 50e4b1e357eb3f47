package dev.gauntlet.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.LinearModels;

import ai.djl.Model;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The trust report's numbers against their definitions, computed here pair by pair. */
class TrustReportTests {

    @Test
    void aurocs_fractions_and_counts_follow_their_definitions() {
        Random random = new Random(7);
        int n = 200;
        float[][] probabilities = new float[n][];
        int[] labels = new int[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            float first = random.nextFloat();
            probabilities[i] = new float[] {first, 1 - first};
            labels[i] = random.nextInt(2);
            // ties on purpose: scores on a grid of 0.25
            scores[i] = Math.round(random.nextDouble() * 12) / 4.0;
        }
        TrustReport report = TrustReport.of(probabilities, labels, scores);

        boolean[] correct = new boolean[n];
        double[] confidence = new double[n];
        int right = 0;
        int low = 0;
        for (int i = 0; i < n; i++) {
            int predicted = probabilities[i][1] > probabilities[i][0] ? 1 : 0;
            correct[i] = predicted == labels[i];
            confidence[i] = probabilities[i][predicted];
            right += correct[i] ? 1 : 0;
            low += scores[i] < 1 ? 1 : 0;
        }
        assertThat(report.correct()).isEqualTo(correct);
        assertThat(report.correctCount()).isEqualTo(right);
        assertThat(report.wrongCount()).isEqualTo(n - right);
        assertThat(report.lowTrustFraction()).isEqualTo((double) low / n);
        assertThat(report.trustScoreAuroc()).isCloseTo(pairwiseAuroc(scores, correct), within(1e-12));
        assertThat(report.maxSoftmaxAuroc()).isCloseTo(pairwiseAuroc(confidence, correct), within(1e-12));
        assertThat(report.toMap()).containsKeys("trustScoreAuroc", "maxSoftmaxAuroc", "lowTrustFraction", "correct",
                "wrong");
    }

    @Test
    void aurocs_are_nan_when_every_prediction_is_right() {
        float[][] probabilities = {{0.9f, 0.1f}, {0.2f, 0.8f}};
        TrustReport report = TrustReport.of(probabilities, new int[] {0, 1}, new double[] {2, 0.5});
        assertThat(report.trustScoreAuroc()).isNaN();
        assertThat(report.maxSoftmaxAuroc()).isNaN();
        assertThat(report.lowTrustFraction()).isEqualTo(0.5);
    }

    @Test
    void measured_on_a_model_it_scores_the_model_s_own_predictions() {
        // training rows of every class (the model never predicts class 0 on the cube): points around a corner each
        Random random = new Random(1);
        float[][] rows = new float[200][];
        int[] labels = new int[200];
        for (int i = 0; i < rows.length; i++) {
            labels[i] = i % 4;
            rows[i] = new float[3];
            for (int j = 0; j < 3; j++) {
                rows[i][j] = (float) ((labels[i] >> (j % 2) & 1) + 0.3 * random.nextGaussian());
            }
        }
        Dataset train = Dataset.builder().setFeatures(rows).setLabels(labels).setNumClasses(4).build();
        Dataset test = LinearModels.cube(120, 2, 5);
        try (Model model = LinearModels.softmaxLinear(); Classifier classifier = LinearModels.classifier(model)) {
            TrustReport report = TrustReport.of(classifier, test, train);
            int[] predicted = classifier.predict(test);
            double[] scores = TrustScore.fit(train).score(test, predicted).scores();
            boolean[] correct = new boolean[test.size()];
            for (int i = 0; i < correct.length; i++) {
                correct[i] = predicted[i] == test.label(i);
            }
            assertThat(report.scores()).isEqualTo(scores);
            assertThat(report.correct()).isEqualTo(correct);
            // every fifth label is shifted, so a fifth of the predictions are wrong
            assertThat(report.wrongCount()).isEqualTo(24);
            assertThat(report.trustScoreAuroc()).isCloseTo(pairwiseAuroc(scores, correct), within(1e-12));
        }
    }

    @Test
    void scores_know_their_mean_and_low_trust_fraction() {
        TrustScoreBatch scores = new TrustScoreBatch(new double[] {0.5, 1, 2, 4.5}, new int[4]);
        assertThat(scores.mean()).isEqualTo(2);
        // below 1 is low trust; exactly 1 is not
        assertThat(scores.lowTrustFraction()).isEqualTo(0.25);
        assertThat(new TrustScoreBatch(new double[0], new int[0]).mean()).isNaN();
    }

    /** P(score of a correct prediction > score of a wrong one), ties counting half, over every pair. */
    private static double pairwiseAuroc(double[] scores, boolean[] correct) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            for (int j = 0; j < scores.length; j++) {
                if (correct[i] && !correct[j]) {
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    pairs++;
                }
            }
        }
        return wins / pairs;
    }
}

package dev.gauntlet.trust;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.model.Logits;
import dev.gauntlet.report.Fields;
import dev.gauntlet.uncertainty.Auroc;

import java.util.Arrays;
import java.util.Map;

/**
 * How well trust scores (Jiang et al. 2018, alibi's defaults) of a classifier's predictions tell its correct
 * predictions from its wrong ones, beside the max-softmax confidence, to show whether the trust score adds
 * anything.
 *
 * @param scores per sample: the trust score of the predicted class
 * @param correct per sample: whether the prediction (the most probable class) is the label
 * @param confidence per sample: the probability of the predicted class (max softmax)
 * @param trustScoreAuroc AUROC of the trust score, correct against wrong predictions; NaN when either is empty
 * @param maxSoftmaxAuroc AUROC of the max-softmax confidence, correct against wrong; NaN when either is empty
 * @param lowTrustFraction the fraction of samples with a trust score below {@link TrustScoreBatch#LOW_TRUST}
 */
public record TrustReport(double[] scores, boolean[] correct, double[] confidence, double trustScoreAuroc,
        double maxSoftmaxAuroc, double lowTrustFraction) {

    /** Copies the arrays. */
    public TrustReport {
        scores = scores.clone();
        correct = correct.clone();
        confidence = confidence.clone();
    }

    /**
     * Measures the trust scores of a model's predictions on {@code data}, fitted on {@code train} with alibi's
     * defaults (distance_knn filter, k_filter 10, alpha 0; k 2).
     *
     * @param model the model
     * @param data the data whose predictions are scored, labelled
     * @param train the model's training data (or a sample of it)
     * @return the report
     */
    public static TrustReport of(Classifier model, Dataset data, Dataset train) {
        float[][] probabilities = model.probabilities(data);
        int[] predicted = new int[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            for (int k = 1; k < probabilities[i].length; k++) {
                predicted[i] = probabilities[i][k] > probabilities[i][predicted[i]] ? k : predicted[i];
            }
        }
        return of(probabilities, data.labels(), TrustScore.fit(train).score(data, predicted).scores());
    }

    /**
     * Judges given trust scores of predictions, the most probable class of each row.
     *
     * @param probabilities per sample, the class probabilities
     * @param labels per sample, the true class
     * @param scores per sample, the trust score of the predicted class
     * @return the report
     */
    public static TrustReport of(float[][] probabilities, int[] labels, double[] scores) {
        if (probabilities.length != labels.length || scores.length != labels.length) {
            throw new IllegalArgumentException("need one probability row, label and score per sample, got "
                    + probabilities.length + ", " + labels.length + " and " + scores.length);
        }
        int n = labels.length;
        boolean[] correct = new boolean[n];
        double[] confidence = new double[n];
        int right = 0;
        for (int i = 0; i < n; i++) {
            int predicted = Logits.argMax(probabilities[i]);
            confidence[i] = probabilities[i][predicted];
            correct[i] = predicted == labels[i];
            right += correct[i] ? 1 : 0;
        }
        boolean bothKinds = right > 0 && right < n;
        return new TrustReport(scores, correct, confidence,
                bothKinds ? Auroc.of(split(scores, correct, true), split(scores, correct, false)) : Double.NaN,
                bothKinds ? Auroc.of(split(confidence, correct, true), split(confidence, correct, false)) : Double.NaN,
                TrustScoreBatch.lowTrustFraction(scores));
    }

    /**
     * Returns how many samples were scored.
     *
     * @return the sample count
     */
    public int samples() {
        return scores.length;
    }

    /**
     * Returns how many predictions are correct.
     *
     * @return the count of correct predictions
     */
    public int correctCount() {
        int count = 0;
        for (boolean c : correct) {
            count += c ? 1 : 0;
        }
        return count;
    }

    /**
     * Returns how many predictions are wrong.
     *
     * @return the count of wrong predictions
     */
    public int wrongCount() {
        return samples() - correctCount();
    }

    /**
     * Returns the trust scores of the correct ({@code true}) or the wrong predictions, in sample order.
     *
     * @param ofCorrect which predictions
     * @return their scores
     */
    public double[] scoresOf(boolean ofCorrect) {
        return split(scores, correct, ofCorrect);
    }

    /**
     * Returns the metrics as an ordered map, for JSON evidence.
     *
     * @return the AUROCs, the low-trust fraction and the counts
     */
    public Map<String, Object> toMap() {
        return Fields.of(
                "trustScoreAuroc", trustScoreAuroc,
                "maxSoftmaxAuroc", maxSoftmaxAuroc,
                "lowTrustFraction", lowTrustFraction,
                "correct", correctCount(),
                "wrong", wrongCount());
    }

    private static double[] split(double[] values, boolean[] correct, boolean ofCorrect) {
        double[] part = new double[values.length];
        int count = 0;
        for (int i = 0; i < values.length; i++) {
            if (correct[i] == ofCorrect) {
                part[count++] = values[i];
            }
        }
        return Arrays.copyOf(part, count);
    }
}

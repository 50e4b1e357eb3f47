package dev.gauntlet.shift;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.data.Permutations;
import dev.gauntlet.uncertainty.Auroc;

import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.List;
import java.util.Random;

/**
 * Classifier two-sample test (Lopez-Paz &amp; Oquab 2017): label reference rows 0 and current rows
 * 1, fit a classifier on a seeded half of each, and measure its AUC on the other halves. If the
 * samples come from one distribution the held-out AUC is 0.5 up to chance; its p-value is the
 * one-sided normal approximation of the Mann–Whitney U statistic,
 * {@code z = (AUC − 0.5) / √((n₀ + n₁ + 1) / (12·n₀·n₁))}.
 *
 * <p>The classifier is L2-regularised logistic regression (λ = 1e-3) on standardised features,
 * fitted by 300 steps of gradient descent, so the test needs no model from the user. Unlike
 * alibi-detect's {@code ClassifierDrift}, which KS-tests the held-out predicted probabilities, the
 * statistic here is the AUC itself. Default {@code p_val} 0.05.
 */
public final class ClassifierDrift implements DriftDetector {

    private final double pVal;

    private ClassifierDrift(double pVal) {
        if (!(pVal > 0 && pVal < 1)) {
            throw new IllegalArgumentException("pVal must be in (0, 1), got " + pVal);
        }
        this.pVal = pVal;
    }

    /**
     * Returns the test with p_val 0.05.
     *
     * @return the test
     */
    public static ClassifierDrift classifierTwoSample() {
        return new ClassifierDrift(0.05);
    }

    @Override
    public String name() {
        return "classifier-two-sample(logistic, p_val=" + pVal + ")";
    }

    @Override
    public DriftResult test(Dataset reference, Dataset current, long seed) {
        if (reference.featureCount() != current.featureCount()) {
            throw new InvalidDataException("reference '" + reference.name() + "' has " + reference.featureCount()
                    + " features but current '" + current.name() + "' has " + current.featureCount());
        }
        if (reference.size() < 4 || current.size() < 4) {
            throw new InvalidDataException("the classifier test needs at least 4 samples a side");
        }
        Random random = new Random(seed);
        int[] refOrder = Permutations.of(reference.size(), random);
        int[] curOrder = Permutations.of(current.size(), random);
        int refTrain = reference.size() / 2;
        int curTrain = current.size() / 2;
        int d = reference.featureCount();
        int trainSize = refTrain + curTrain;
        double[][] x = new double[trainSize][];
        double[] y = new double[trainSize];
        for (int i = 0; i < refTrain; i++) {
            x[i] = toDouble(reference.features(refOrder[i]));
        }
        for (int i = 0; i < curTrain; i++) {
            x[refTrain + i] = toDouble(current.features(curOrder[i]));
            y[refTrain + i] = 1;
        }
        double[] mean = new double[d];
        double[] std = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / trainSize;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                std[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / trainSize;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = std[j] > 0 ? Math.sqrt(std[j]) : 1;
        }
        for (double[] row : x) {
            standardise(row, mean, std);
        }
        double[] w = new double[d + 1];
        for (int step = 0; step < 300; step++) {
            double[] gradient = new double[d + 1];
            for (int i = 0; i < trainSize; i++) {
                double error = sigmoid(score(w, x[i])) - y[i];
                for (int j = 0; j < d; j++) {
                    gradient[j] += error * x[i][j] / trainSize;
                }
                gradient[d] += error / trainSize;
            }
            for (int j = 0; j <= d; j++) {
                w[j] -= 0.5 * (gradient[j] + (j < d ? 1e-3 * w[j] : 0));
            }
        }
        double[] refScores = heldOut(reference, refOrder, refTrain, w, mean, std);
        double[] curScores = heldOut(current, curOrder, curTrain, w, mean, std);
        double auc = Auroc.of(curScores, refScores);
        double n0 = refScores.length;
        double n1 = curScores.length;
        double z = (auc - 0.5) / Math.sqrt((n0 + n1 + 1) / (12 * n0 * n1));
        double p = 1 - new NormalDistribution().cumulativeProbability(z);
        return new DriftResult(name(), auc, p, pVal, p < pVal, List.of());
    }

    private static double[] heldOut(Dataset data, int[] order, int trainCount, double[] w, double[] mean, double[] std) {
        double[] scores = new double[order.length - trainCount];
        for (int i = trainCount; i < order.length; i++) {
            double[] row = toDouble(data.features(order[i]));
            standardise(row, mean, std);
            scores[i - trainCount] = score(w, row);
        }
        return scores;
    }

    private static double score(double[] w, double[] row) {
        double s = w[row.length];
        for (int j = 0; j < row.length; j++) {
            s += w[j] * row[j];
        }
        return s;
    }

    private static double sigmoid(double s) {
        return 1 / (1 + Math.exp(-s));
    }

    private static void standardise(double[] row, double[] mean, double[] std) {
        for (int j = 0; j < row.length; j++) {
            row[j] = (row[j] - mean[j]) / std[j];
        }
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int j = 0; j < values.length; j++) {
            out[j] = values[j];
        }
        return out;
    }
}

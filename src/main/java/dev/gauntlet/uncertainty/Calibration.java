package dev.gauntlet.uncertainty;

import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.model.Logits;

import java.util.ArrayList;
import java.util.List;

/**
 * Calibration metrics of predicted class probabilities (Guo et al. 2017; Naeini et al. 2015):
 * ECE and MCE over equal-width confidence bins with membership {@code conf ∈ (lo, hi]} [15 bins],
 * the multi-class Brier score and the negative log-likelihood. The confidence of a sample is its
 * largest probability, its prediction that class (the first on ties).
 *
 * <p>The negative log-likelihood clips the true class's probability at float64's machine epsilon
 * (2.2e-16, −log = 36.04), as scikit-learn's {@code log_loss} does on float64 input, so a true class given
 * probability 0 costs what it costs there instead of infinity; {@code CalibrationParityTests} asserts ECE,
 * MCE, Brier and NLL against numpy and scikit-learn to 1e-6 relative.
 */
public final class Calibration {

    /** The default number of bins, as in Guo et al. (2017). */
    public static final int DEFAULT_BINS = 15;
    /** The most bins accepted: far more than any sample supports, and small enough to allocate. */
    public static final int MAX_BINS = 10_000;

    /** scikit-learn's {@code log_loss} clip on float64 probabilities: {@code np.finfo(np.float64).eps}. */
    private static final double LOG_LOSS_CLIP = Math.ulp(1.0);

    private Calibration() {}

    /**
     * Measures calibration with {@value #DEFAULT_BINS} bins.
     *
     * @param probabilities one row of class probabilities per sample
     * @param labels the true classes
     * @return the report
     */
    public static CalibrationReport of(float[][] probabilities, int[] labels) {
        return of(probabilities, labels, DEFAULT_BINS);
    }

    /**
     * Measures calibration.
     *
     * @param probabilities one row of class probabilities per sample, each in [0, 1] summing to 1
     * @param labels the true classes, one per row
     * @param bins the number of equal-width confidence bins, in [1, {@value #MAX_BINS}]
     * @return the report
     * @throws InvalidDataException if the rows are not probabilities or the lengths differ
     */
    public static CalibrationReport of(float[][] probabilities, int[] labels, int bins) {
        if (bins < 1 || bins > MAX_BINS) {
            throw new IllegalArgumentException("bins must be in [1, " + MAX_BINS + "], got " + bins
                    + "; 15 (Guo et al. 2017) is the usual choice");
        }
        if (probabilities.length == 0 || probabilities.length != labels.length) {
            throw new InvalidDataException("probabilities hold " + probabilities.length + " rows but labels "
                    + labels.length + "; give one non-empty row per label");
        }
        int n = labels.length;
        int[] count = new int[bins];
        int[] correct = new int[bins];
        double[] confidenceSum = new double[bins];
        int correctTotal = 0;
        double brier = 0;
        double nll = 0;
        for (int i = 0; i < n; i++) {
            float[] p = probabilities[i];
            checkRow(p, i, labels[i]);
            int predicted = 0;
            for (int k = 1; k < p.length; k++) {
                predicted = p[k] > p[predicted] ? k : predicted;
            }
            double confidence = p[predicted];
            int bin = Math.max(0, Math.min(bins - 1, (int) Math.ceil(confidence * bins) - 1));
            count[bin]++;
            confidenceSum[bin] += confidence;
            if (predicted == labels[i]) {
                correct[bin]++;
                correctTotal++;
            }
            for (int k = 0; k < p.length; k++) {
                double target = k == labels[i] ? 1 : 0;
                brier += (p[k] - target) * (p[k] - target);
            }
            nll -= Math.log(Math.max(p[labels[i]], LOG_LOSS_CLIP));
        }
        List<ReliabilityBin> diagram = new ArrayList<>();
        double ece = 0;
        double mce = 0;
        for (int b = 0; b < bins; b++) {
            double accuracy = count[b] == 0 ? Double.NaN : (double) correct[b] / count[b];
            double confidence = count[b] == 0 ? Double.NaN : confidenceSum[b] / count[b];
            diagram.add(new ReliabilityBin((double) b / bins, (double) (b + 1) / bins, count[b], accuracy, confidence));
            if (count[b] > 0) {
                double gap = Math.abs(accuracy - confidence);
                ece += (double) count[b] / n * gap;
                mce = Math.max(mce, gap);
            }
        }
        return new CalibrationReport(n, (double) correctTotal / n, ece, mce, brier / n, nll / n, diagram);
    }

    /**
     * Splits the confidence (the predicted class's probability) by whether the prediction is right, for the
     * histograms of a calibration report.
     *
     * @param probabilities per sample, the class probabilities
     * @param labels per sample, the true class
     * @return {@code {correct, wrong}}: the confidences of the right and of the wrong predictions, in sample order
     */
    public static double[][] confidenceByCorrectness(float[][] probabilities, int[] labels) {
        List<Double> right = new ArrayList<>();
        List<Double> wrong = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) {
            float[] p = probabilities[i];
            int predicted = Logits.argMax(p);
            (predicted == labels[i] ? right : wrong).add((double) p[predicted]);
        }
        return new double[][] {right.stream().mapToDouble(Double::doubleValue).toArray(),
            wrong.stream().mapToDouble(Double::doubleValue).toArray()};
    }

    private static void checkRow(float[] p, int row, int label) {
        double sum = 0;
        for (float v : p) {
            if (!(v >= 0 && v <= 1)) {
                throw new InvalidDataException("probabilities row " + row + " holds " + v
                        + ", outside [0, 1]; pass softmax probabilities, not logits");
            }
            sum += v;
        }
        if (Math.abs(sum - 1) > 1e-3) {
            throw new InvalidDataException("probabilities row " + row + " sums to " + sum + ", not 1");
        }
        if (label < 0 || label >= p.length) {
            throw new InvalidDataException("label " + label + " of row " + row + " is outside [0, " + p.length + ")");
        }
    }
}

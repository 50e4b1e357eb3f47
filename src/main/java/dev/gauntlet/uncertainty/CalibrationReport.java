package dev.gauntlet.uncertainty;

import dev.gauntlet.report.Fields;

import java.util.List;
import java.util.Map;

/**
 * How well a classifier's confidence matches its accuracy.
 *
 * @param samples the number of samples
 * @param accuracy the fraction predicted correctly
 * @param expectedCalibrationError ECE: Σ_b (N_b/N)·|acc_b − conf_b| over the bins
 * @param maximumCalibrationError MCE: the largest |acc_b − conf_b| over non-empty bins
 * @param brierScore the mean over samples of Σ_k (p_k − 1[k = y])²
 * @param negativeLogLikelihood the mean of −ln p_y (p clamped at float64 eps, as scikit-learn's log_loss)
 * @param bins the reliability diagram, equal-width bins over [0, 1]
 */
public record CalibrationReport(int samples, double accuracy, double expectedCalibrationError,
        double maximumCalibrationError, double brierScore, double negativeLogLikelihood, List<ReliabilityBin> bins) {

    /** Copies the bins. */
    public CalibrationReport {
        bins = List.copyOf(bins);
    }

    /**
     * Returns the metrics as an ordered map, for JSON evidence.
     *
     * @return every number of the report
     */
    public Map<String, Object> toMap() {
        return Fields.of(
                "samples", samples,
                "accuracy", accuracy,
                "ece", expectedCalibrationError,
                "mce", maximumCalibrationError,
                "brier", brierScore,
                "nll", negativeLogLikelihood,
                "binCounts", bins.stream().mapToInt(ReliabilityBin::count).toArray(),
                "binAccuracy", bins.stream().mapToDouble(ReliabilityBin::accuracy).toArray(),
                "binConfidence", bins.stream().mapToDouble(ReliabilityBin::confidence).toArray());
    }
}

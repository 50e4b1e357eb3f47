package dev.gauntlet.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;

import dev.gauntlet.uncertainty.Calibration;
import dev.gauntlet.uncertainty.CalibrationReport;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Calibration} against the references of {@code src/test/python/parity/calibration_parity.py}:
 * ECE and MCE in float64 numpy over the equal-width bins {@code ((m−1)/M, m/M]} of Guo et al.
 * (2017), the Brier score from scikit-learn's {@code brier_score_loss} on one-hot targets (times
 * the number of classes), the NLL as {@code −mean(log p[label])}; 5 to 5,000 samples, 2 to 784
 * classes, 1, 15 and 100 bins, tied probabilities (confidences on bin edges, ties for the top
 * class).
 */
class CalibrationParityTests {

    private static final SeededData.Deviation DEVIATION = new SeededData.Deviation("calibration (relative)");

    @TestFactory
    Stream<DynamicTest> ece_mce_brier_and_nll_match_the_references() {
        return cases("grid");
    }

    /**
     * A true class given probability 0 (200 samples, 5 classes, weights 0 to 3): the NLL is
     * infinite by definition; Calibration clips as scikit-learn's {@code log_loss} does, at float64 eps
     * (−log = 36.04 per such sample). It clipped at 1e-12 before: NLL 8.33339 vs sklearn's 10.56274.
     */
    @TestFactory
    Stream<DynamicTest> zero_true_class_probability() {
        return cases("zero true-class probability");
    }

    private static Stream<DynamicTest> cases(String group) {
        return SeededData.tests("calibration", c -> c.get("group").getAsString().equals(group),
                CalibrationParityTests::check);
    }

    private static void check(JsonObject c) {
        int classes = c.get("classes").getAsInt();
        float[][] weights = SeededData.rows(SeededData.generate(c.getAsJsonObject("weights")), classes);
        float[] labelValues = SeededData.generate(c.getAsJsonObject("labels"));
        boolean zeros = !c.get("group").getAsString().equals("grid");
        float bonus = c.get("bonus").getAsFloat();
        int[] labels = new int[labelValues.length];
        float[][] probabilities = new float[weights.length][];
        for (int i = 0; i < weights.length; i++) {
            labels[i] = (int) labelValues[i];
            if (zeros) {
                weights[i][0] = 1;
                labels[i] = labels[i] == 0 ? 1 : labels[i];
            }
            weights[i][labels[i]] += bonus;
            float sum = 0;
            for (float k : weights[i]) {
                sum += k; // integers below 2^24: exact in any order, as numpy's pairwise sum
            }
            probabilities[i] = new float[classes];
            for (int k = 0; k < classes; k++) {
                probabilities[i][k] = weights[i][k] / sum;
            }
        }
        CalibrationReport report = Calibration.of(probabilities, labels, c.get("bins").getAsInt());
        String name = c.get("name").getAsString();
        compare("ECE", report.expectedCalibrationError(), c.get("ece").getAsDouble(), name);
        compare("MCE", report.maximumCalibrationError(), c.get("mce").getAsDouble(), name);
        compare("Brier", report.brierScore(), c.get("brier").getAsDouble(), name);
        double nll = zeros ? c.get("sklearn_log_loss").getAsDouble() : c.get("nll").getAsDouble();
        compare("NLL", report.negativeLogLikelihood(), nll, name);
    }

    private static void compare(String metric, double actual, double expected, String name) {
        DEVIATION.record(SeededData.relative(actual, expected), metric + " of " + name);
        assertThat(actual).as("%s of %s", metric, name).isCloseTo(expected, within(1e-6 * Math.abs(expected)));
    }

    @AfterAll
    static void printLargestDeviation() {
        DEVIATION.print();
    }
}

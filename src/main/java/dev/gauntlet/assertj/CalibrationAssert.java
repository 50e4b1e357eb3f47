package dev.gauntlet.assertj;

import dev.gauntlet.report.BarChart;
import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.Fields;
import dev.gauntlet.report.LineChart;
import dev.gauntlet.report.ModelLabels;
import dev.gauntlet.uncertainty.Calibration;
import dev.gauntlet.uncertainty.CalibrationReport;
import dev.gauntlet.uncertainty.ReliabilityBin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Assertions on how well a classifier's confidence matches its accuracy; the evidence is the
 * metrics JSON, the reliability diagram and the confidence histograms of correct and wrong
 * predictions.
 *
 * <pre>{@code
 * assertThatModel(cnn).on(test).calibration().hasEceAtMost(0.05);
 * }</pre>
 */
public class CalibrationAssert extends GauntletAssert<CalibrationAssert, ModelOnData> {

    private CalibrationReport report;
    private float[][] probabilities;

    /**
     * Creates the assertion; prefer {@code assertThatModel(model).on(data).calibration()}.
     *
     * @param actual the model and data
     */
    public CalibrationAssert(ModelOnData actual) {
        super(actual, CalibrationAssert.class);
    }

    /**
     * Verifies that the expected calibration error (15 bins, (lo, hi]) is at most {@code threshold}.
     *
     * @param threshold the largest acceptable ECE, in [0, 1]
     * @return this assertion
     */
    public CalibrationAssert hasEceAtMost(double threshold) {
        isNotNull();
        requireFraction(threshold, "threshold");
        Map<String, Object> parameters = Fields.of(
                "threshold", threshold,
                "bins", Calibration.DEFAULT_BINS,
                "dataset", actual.data().name(),
                "samples", actual.data().size());
        CalibrationReport result = measure(parameters);
        failUnlessAtMost("calibration", parameters, result.samples(), "expected calibration error", threshold,
                result.expectedCalibrationError());
        return myself;
    }

    /**
     * Returns the calibration report (measuring it if no check has yet).
     *
     * @return the report
     */
    public CalibrationReport report() {
        if (report == null) {
            probabilities = actual.classifier().probabilities(actual.data());
            report = Calibration.of(probabilities, actual.data().labels());
        }
        return report;
    }

    private CalibrationReport measure(Map<String, Object> parameters) {
        Evidence evidence = evidence();
        ModelLabels.record(evidence, actual.classifier(), actual.data());
        return evidence.step("calibration", parameters, () -> {
            CalibrationReport result = report();
            evidence.metrics("calibration metrics", parameters, result.toMap());
            if (evidence.isRecording()) {
                List<ReliabilityBin> filled = result.bins().stream().filter(b -> b.count() > 0).toList();
                double[] confidence = filled.stream().mapToDouble(ReliabilityBin::confidence).toArray();
                double[] accuracy = filled.stream().mapToDouble(ReliabilityBin::accuracy).toArray();
                evidence.chart(new LineChart("reliability diagram", "confidence", "accuracy", List.of(
                        new LineChart.Series("model", confidence, accuracy),
                        new LineChart.Series("perfect calibration", new double[] {0, 1}, new double[] {0, 1}))));
                // how many samples stand behind each point: a bin of 3 samples says little
                evidence.chart(new BarChart("reliability diagram: samples per bin", "confidence bin", "samples",
                        filled.stream().map(b -> String.format(Locale.ROOT, "%.2f-%.2f", b.lower(),
                                b.upper())).toList(), filled.stream().mapToDouble(ReliabilityBin::count).toArray()));
                evidence.chart(histogram("confidence of correct and wrong predictions", "confidence",
                        splitByCorrectness(), 20));
            }
            return result;
        });
    }

    private Map<String, double[]> splitByCorrectness() {
        double[][] split = Calibration.confidenceByCorrectness(probabilities, actual.data().labels());
        Map<String, double[]> groups = new LinkedHashMap<>();
        groups.put("correct", split[0]);
        groups.put("wrong", split[1]);
        return groups;
    }
}

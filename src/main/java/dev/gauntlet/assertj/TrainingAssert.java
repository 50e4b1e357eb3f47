package dev.gauntlet.assertj;

import dev.gauntlet.report.Evidence;
import dev.gauntlet.report.LineChart;
import dev.gauntlet.train.EpochRecord;
import dev.gauntlet.train.TrainingHistory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assertions on a training run's history; the evidence is the per-epoch chart of clean and
 * robust accuracy and the history as JSON.
 *
 * <pre>{@code
 * assertThatTraining(history).robustAccuracyImproved().hasFinalRobustAccuracyAtLeast(0.6);
 * }</pre>
 */
public class TrainingAssert extends GauntletAssert<TrainingAssert, TrainingHistory> {

    /**
     * Creates the assertion; prefer {@link GauntletAssertions#assertThatTraining(TrainingHistory)}.
     *
     * @param actual the history
     */
    public TrainingAssert(TrainingHistory actual) {
        super(actual, TrainingAssert.class);
    }

    /**
     * Verifies that the last epoch's held-out robust accuracy is above the first epoch's.
     *
     * @return this assertion
     */
    public TrainingAssert robustAccuracyImproved() {
        List<EpochRecord> epochs = record("robust accuracy improved");
        if (epochs.size() < 2) {
            throw new IllegalStateException("the history holds " + epochs.size() + " epoch(s); at least 2 are needed");
        }
        double first = epochs.get(0).robustAccuracy();
        double last = epochs.get(epochs.size() - 1).robustAccuracy();
        failUnlessAtLeast("robust accuracy improved", Map.of("epochs", epochs.size()), epochs.size(),
                "last epoch's robust accuracy (first " + first + ", must be higher)", Math.nextUp(first), last);
        return myself;
    }

    /**
     * Verifies the last epoch's held-out robust accuracy.
     *
     * @param threshold the least acceptable robust accuracy, in [0, 1]
     * @return this assertion
     */
    public TrainingAssert hasFinalRobustAccuracyAtLeast(double threshold) {
        requireFraction(threshold, "threshold");
        List<EpochRecord> epochs = record("final robust accuracy");
        if (epochs.isEmpty()) {
            throw new IllegalStateException("the history holds no epoch; run at least one");
        }
        failUnlessAtLeast("final robust accuracy", Map.of("threshold", threshold, "epochs", epochs.size()),
                epochs.size(), "robust accuracy after the last epoch", threshold,
                epochs.get(epochs.size() - 1).robustAccuracy());
        return myself;
    }

    private List<EpochRecord> record(String check) {
        isNotNull();
        List<EpochRecord> epochs = actual.epochs();
        Evidence evidence = evidence();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("epochs", epochs.size());
        evidence.step(check, parameters, () -> {
            double[] x = epochs.stream().mapToDouble(EpochRecord::epoch).toArray();
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("epoch", x);
            metrics.put("loss", epochs.stream().mapToDouble(EpochRecord::meanLoss).toArray());
            metrics.put("cleanAccuracy", epochs.stream().mapToDouble(EpochRecord::cleanAccuracy).toArray());
            metrics.put("robustAccuracy", epochs.stream().mapToDouble(EpochRecord::robustAccuracy).toArray());
            metrics.put("examplesPerSecond", epochs.stream().mapToDouble(EpochRecord::examplesPerSecond).toArray());
            evidence.metrics("training history", metrics);
            if (!epochs.isEmpty()) {
                evidence.chart(new LineChart("clean and robust accuracy per epoch", "epoch", "held-out accuracy",
                        List.of(new LineChart.Series("clean", x, (double[]) metrics.get("cleanAccuracy")),
                                new LineChart.Series("robust", x, (double[]) metrics.get("robustAccuracy")))));
            }
            return null;
        });
        return epochs;
    }
}

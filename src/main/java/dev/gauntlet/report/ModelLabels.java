package dev.gauntlet.report;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

/**
 * The labels every check puts on its test before it runs: the model's fingerprint, engine and device and the
 * dataset, so a report can be filtered and compared by model. Here, not in an assertion, so every check — an
 * assertion, a gate check — labels alike without calling into another check.
 */
public final class ModelLabels {

    private ModelLabels() {}

    /**
     * Labels the current test with the model and the data it is judged on.
     *
     * @param evidence the sink
     * @param classifier the model under test
     * @param data the data it is judged on
     */
    public static void record(Evidence evidence, Classifier classifier, Dataset data) {
        evidence.label("model", classifier.fingerprint().substring(0, 12));
        evidence.label("engine", classifier.computeTarget().engineName());
        evidence.label("device", classifier.computeTarget().device().toString());
        evidence.label("dataset", data.name());
    }
}

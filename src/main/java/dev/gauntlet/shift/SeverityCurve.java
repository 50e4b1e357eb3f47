package dev.gauntlet.shift;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import java.util.ArrayList;
import java.util.List;

/**
 * A model's accuracy under one image corruption at every severity, 0 (clean) to 5, and the first corrupted
 * sample at each severity 1–5, to show what the model saw.
 *
 * @param kind the corruption
 * @param accuracy accuracy by severity, index 0 the clean data
 * @param examples the first sample's features at severities 1 to 5 (empty for no samples)
 */
public record SeverityCurve(ImageCorruption.Kind kind, double[] accuracy, List<float[]> examples) {

    /** The most severe level. */
    public static final int MAX_SEVERITY = 5;

    /** Copies the values. */
    public SeverityCurve {
        accuracy = accuracy.clone();
        examples = examples.stream().map(float[]::clone).toList();
    }

    /**
     * Measures the accuracy on the clean data and under the corruption at each severity.
     *
     * @param model the model
     * @param data the clean data
     * @param kind the corruption
     * @param seed the seed of the corruption
     * @return the curve
     */
    public static SeverityCurve of(Classifier model, Dataset data, ImageCorruption.Kind kind, long seed) {
        double[] curve = new double[MAX_SEVERITY + 1];
        curve[0] = model.accuracy(data);
        List<float[]> examples = new ArrayList<>();
        for (int s = 1; s <= MAX_SEVERITY; s++) {
            Dataset corrupted = new ImageCorruption(kind, s).apply(data, seed);
            curve[s] = model.accuracy(corrupted);
            if (corrupted.size() > 0) {
                examples.add(corrupted.features(0));
            }
        }
        return new SeverityCurve(kind, curve, examples);
    }

    /**
     * Returns the accuracy at the worst severity, the value a bar judges.
     *
     * @return accuracy at severity 5
     */
    public double worst() {
        return accuracy[MAX_SEVERITY];
    }
}

package dev.gauntlet.explain.anchor;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import java.util.ArrayList;
import java.util.List;

/**
 * The anchors of a dataset's predictions, one per sample, and the two numbers bars judge: the smallest precision
 * and the median coverage.
 *
 * @param anchors one anchor per sample, in order
 */
public record AnchorReport(List<Anchors.Anchor> anchors) {

    /** Copies the list. */
    public AnchorReport {
        anchors = List.copyOf(anchors);
    }

    /**
     * Searches an anchor for each sample's prediction, sample {@code i} seeded with {@code seed + i}.
     *
     * @param explainer the anchors, fitted on the model's training data
     * @param classifier the model
     * @param data the samples
     * @param seed the seed of the first sample's search
     * @return the report
     */
    public static AnchorReport of(Anchors explainer, Classifier classifier, Dataset data, long seed) {
        List<Anchors.Anchor> found = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            found.add(explainer.explain(classifier, data.features(i), seed + i));
        }
        return new AnchorReport(found);
    }

    /**
     * Returns the smallest precision of any sample's anchor.
     *
     * @return the smallest precision, NaN for no samples
     */
    public double worstPrecision() {
        return anchors.stream().mapToDouble(Anchors.Anchor::precision).min().orElse(Double.NaN);
    }

    /**
     * Returns the median coverage of the anchors (the mean of the middle two for an even count).
     *
     * @return the median coverage
     */
    public double medianCoverage() {
        double[] coverage = anchors.stream().mapToDouble(Anchors.Anchor::coverage).sorted().toArray();
        return coverage.length % 2 == 1 ? coverage[coverage.length / 2]
                : (coverage[coverage.length / 2 - 1] + coverage[coverage.length / 2]) / 2;
    }
}

package dev.gauntlet.explain.quality;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;
import dev.gauntlet.explain.Explainer;

/**
 * How much an explanation changes when its input changes a little, per sample. Get one from
 * {@link Stability}.
 */
public interface StabilityMetric {

    /** @return the metric's name with its settings */
    String name();

    /** @return true if larger values mean more stable (similarities), false for distances */
    boolean higherIsStabler();

    /**
     * Measures each sample, explaining its predicted class.
     *
     * @param explainer the attribution method
     * @param classifier the model
     * @param samples the samples; not modified
     * @param seed the seed of the perturbations and of the explainer
     * @return one value per sample
     */
    double[] measure(Explainer explainer, Classifier classifier, Dataset samples, long seed);
}

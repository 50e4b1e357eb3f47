package dev.gauntlet.counterfactual;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

/**
 * A way of finding counterfactuals: for each sample, a nearby input the model classifies
 * differently (or, for pertinent positives, a minimal part that keeps the class). Get one from
 * {@link Counterfactuals}. Searches are deterministic.
 */
public interface CounterfactualMethod {

    /**
     * Returns a short description with the settings, for reports.
     *
     * @return e.g. {@code wachter(distance=L1, target=other, p=1.0±0.05)}
     */
    String name();

    /**
     * Returns the distance this method minimises, which distance assertions use by default.
     *
     * @return {@link Distance#L1} unless the method says otherwise
     */
    default Distance distance() {
        return Distance.L1;
    }

    /**
     * Searches a counterfactual for every sample.
     *
     * @param classifier the model
     * @param samples the samples to explain; not modified
     * @param reference training data: feature ranges, MADs, prototypes and plausibility come from it
     * @return one counterfactual per sample, with aggregate metrics
     */
    CounterfactualReport explain(Classifier classifier, Dataset samples, Dataset reference);
}

package dev.gauntlet.assertj;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.model.Classifier;

import java.util.Objects;

/**
 * What a model assertion judges: a classifier on a dataset, with the seed of every random choice
 * the checks make.
 *
 * @param classifier the model
 * @param data the labelled samples
 * @param seed the seed for the checks' random choices
 */
public record ModelOnData(Classifier classifier, Dataset data, long seed) {

    /**
     * Validates the parts.
     */
    public ModelOnData {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String toString() {
        return classifier + " on " + data.name() + " (" + data.size() + " samples)";
    }
}

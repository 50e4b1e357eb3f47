package dev.gauntlet.assertj;

import dev.gauntlet.data.Dataset;

import java.util.Objects;

/**
 * What a trust-score assertion judges: a classifier's predictions on a dataset, and the training
 * data the trust score is fitted on.
 *
 * @param target the model and the data to score
 * @param train the training data
 */
public record TrustSubject(ModelOnData target, Dataset train) {

    /** Validates the parts. */
    public TrustSubject {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(train, "train");
    }

    @Override
    public String toString() {
        return target + " with trust scores fitted on " + train.name();
    }
}

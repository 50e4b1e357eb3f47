package dev.gauntlet.assertj;

import dev.gauntlet.data.Dataset;

import java.util.Objects;

/**
 * What a drift assertion judges: a current sample against a reference sample.
 *
 * @param reference the reference data (e.g. training data)
 * @param current the current data (e.g. production data)
 * @param seed the seed of the tests' random choices
 */
public record DataComparison(Dataset reference, Dataset current, long seed) {

    /** Validates the parts. */
    public DataComparison {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
    }

    @Override
    public String toString() {
        return current.name() + " (" + current.size() + ") against " + reference.name() + " (" + reference.size() + ")";
    }
}

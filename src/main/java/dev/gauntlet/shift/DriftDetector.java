package dev.gauntlet.shift;

import dev.gauntlet.data.Dataset;

/**
 * A two-sample drift detector: a statistical test of whether a current sample comes from the reference
 * sample's distribution (alibi-detect calls these detectors). Made by {@link Drifts}.
 */
public interface DriftDetector {

    /**
     * Returns the test's name with its parameters.
     *
     * @return the name
     */
    String name();

    /**
     * Runs the test.
     *
     * @param reference the reference sample
     * @param current the current sample
     * @param seed the seed of any random choice (permutations)
     * @return the result
     */
    DriftResult test(Dataset reference, Dataset current, long seed);
}

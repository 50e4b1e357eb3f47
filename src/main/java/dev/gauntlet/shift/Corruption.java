package dev.gauntlet.shift;

import dev.gauntlet.data.Dataset;

/**
 * A seeded transformation of a dataset that simulates a realistic shift (noise, blur, ...); the
 * labels stay as they are. Implementations never modify their input.
 */
public interface Corruption {

    /**
     * Returns the name shown in reports, with its parameters, e.g. {@code gaussian-noise(σ=0.1)}.
     *
     * @return the name
     */
    String name();

    /**
     * Applies the corruption.
     *
     * @param data the clean data
     * @param seed the seed of every random choice
     * @return a corrupted copy, within the data's bounds
     */
    Dataset apply(Dataset data, long seed);
}

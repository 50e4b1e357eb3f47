package dev.gauntlet.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A contiguous slice {@code [from, to)} of a dataset, turned into arrays only when asked.
 *
 * <p>Create the arrays inside a scoped manager so they are freed with it:
 * <pre>{@code
 * for (Batch batch : dataset.batches(256)) {
 *     try (NDManager scope = classifier.newScope()) {
 *         NDArray x = batch.features(scope);
 *         ...
 *     }
 * }
 * }</pre>
 *
 * @param dataset the dataset the batch belongs to
 * @param from the first sample index, inclusive
 * @param to the last sample index, exclusive
 */
public record Batch(Dataset dataset, int from, int to) {

    /**
     * Validates the range.
     *
     * @throws IllegalArgumentException if the range is empty or outside the dataset
     */
    public Batch {
        if (from < 0 || to > dataset.size() || from >= to) {
            throw new IllegalArgumentException(
                    "batch range [" + from + ", " + to + ") is outside [0, " + dataset.size() + ")");
        }
    }

    /**
     * Returns the number of samples in the batch.
     *
     * @return {@code to - from}
     */
    public int size() {
        return to - from;
    }

    /**
     * Creates the features of this batch as an array of shape {@code (size, sampleShape...)}.
     *
     * @param manager the manager that will own the array
     * @return the features
     */
    public NDArray features(NDManager manager) {
        return dataset.features(manager, from, to);
    }

    /**
     * Creates the labels of this batch as an int32 array of shape {@code (size)}.
     *
     * @param manager the manager that will own the array
     * @return the labels
     */
    public NDArray labels(NDManager manager) {
        return dataset.labels(manager, from, to);
    }
}

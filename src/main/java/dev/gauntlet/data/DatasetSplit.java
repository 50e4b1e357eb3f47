package dev.gauntlet.data;

/**
 * Two disjoint parts of one dataset, as made by {@link Dataset#split(double, long)}.
 *
 * @param train the part to fit on
 * @param test the held-out part
 */
public record DatasetSplit(Dataset train, Dataset test) {}

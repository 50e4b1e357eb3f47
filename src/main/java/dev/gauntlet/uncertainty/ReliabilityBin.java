package dev.gauntlet.uncertainty;

/**
 * One bin of a reliability diagram: the samples whose confidence lies in {@code (lower, upper]}.
 *
 * @param lower the bin's lower edge, exclusive
 * @param upper the bin's upper edge, inclusive
 * @param count the number of samples in the bin
 * @param accuracy the fraction of them predicted correctly (NaN when empty)
 * @param confidence their mean confidence (NaN when empty)
 */
public record ReliabilityBin(double lower, double upper, int count, double accuracy, double confidence) {}

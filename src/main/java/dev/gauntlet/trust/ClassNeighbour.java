package dev.gauntlet.trust;

/**
 * A query's k-th nearest training point within one class, as the trust score's class-wise
 * neighbour search finds it; prototype-guided counterfactuals use it as the class prototype.
 *
 * @param classIndex the class
 * @param point the training point (a copy)
 * @param distance its Euclidean distance to the query
 */
public record ClassNeighbour(int classIndex, float[] point, double distance) {}

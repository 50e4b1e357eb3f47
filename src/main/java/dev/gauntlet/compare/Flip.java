package dev.gauntlet.compare;

/**
 * One sample the two models disagree on in correctness.
 *
 * @param index the sample's index in the dataset
 * @param label its true class
 * @param baselinePrediction the baseline's prediction
 * @param candidatePrediction the candidate's prediction
 */
public record Flip(int index, int label, int baselinePrediction, int candidatePrediction) {}

package dev.gauntlet.counterfactual;

/**
 * One sample's counterfactual: the changed input, the class it reaches and how far it moved.
 *
 * @param index the sample's index in the explained dataset
 * @param original the sample (a copy)
 * @param counterfactual the changed sample, or a copy of the original when none was found
 * @param originalClass the model's class for the sample
 * @param counterfactualClass the model's class for the counterfactual
 * @param counterfactualProbabilities the model's probabilities for the counterfactual
 * @param valid whether the search's success condition holds (e.g. the target reached)
 * @param l1 Σ|δ|
 * @param l2 ‖δ‖₂
 * @param madL1 Σ|δ_j| / MAD_j, with MAD from the reference data
 * @param changedFeatures L0: how many features moved by more than {@link #CHANGE_TOLERANCE}
 * @param plausibility Euclidean distance from the counterfactual to the nearest reference sample
 *     labelled with the counterfactual's class (smaller is more plausible); NaN when invalid
 * @param seconds search time per sample (the batch's time divided by its size)
 */
public record Counterfactual(int index, float[] original, float[] counterfactual, int originalClass,
        int counterfactualClass, float[] counterfactualProbabilities, boolean valid, double l1, double l2, double madL1,
        int changedFeatures, double plausibility, double seconds) {

    /** A feature counts as changed when it moved by more than this. */
    public static final double CHANGE_TOLERANCE = 1e-5;
}

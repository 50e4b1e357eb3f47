package dev.gauntlet.certify;

/**
 * The smoothed classifier's prediction at one input (Cohen et al.'s PREDICT).
 *
 * @param prediction the class, or {@link RandomizedSmoothing#ABSTAIN}
 * @param countA how many noisy copies the top class won
 * @param countB how many the runner-up won
 * @param pValue the two-sided binomial test's p-value for a tie between them
 */
public record SmoothedPrediction(int prediction, int countA, int countB, double pValue) {

    /**
     * Tells whether the prediction abstained.
     *
     * @return true when the top two classes could not be told apart at level α
     */
    public boolean abstained() {
        return prediction == RandomizedSmoothing.ABSTAIN;
    }
}

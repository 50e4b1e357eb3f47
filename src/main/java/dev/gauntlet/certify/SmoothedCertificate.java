package dev.gauntlet.certify;

/**
 * The smoothed classifier's certificate at one input (Cohen et al.'s CERTIFY).
 *
 * @param prediction the certified class, or {@link RandomizedSmoothing#ABSTAIN}
 * @param candidate the top class among the n0 selection copies (reported even when abstaining)
 * @param countA how many of the n estimation copies the candidate won
 * @param samples n
 * @param pALower the Clopper–Pearson lower bound of the candidate's probability
 * @param radius the certified L2 radius {@code σ·Φ⁻¹(pALower)}, 0 when abstaining
 */
public record SmoothedCertificate(int prediction, int candidate, int countA, int samples, double pALower,
        double radius) {

    /**
     * Tells whether the certificate abstained.
     *
     * @return true when {@code pALower < 0.5}
     */
    public boolean abstained() {
        return prediction == RandomizedSmoothing.ABSTAIN;
    }
}

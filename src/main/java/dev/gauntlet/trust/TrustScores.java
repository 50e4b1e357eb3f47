package dev.gauntlet.trust;

/**
 * Trust scores of a batch of predictions.
 *
 * @param scores per sample: distance to the closest other class / (distance to the predicted class + 1e-12);
 *     higher means more trustworthy
 * @param closestOtherClass per sample: the class, other than the predicted one, whose data is closest
 */
public record TrustScores(double[] scores, int[] closestOtherClass) {

    /** Copies the arrays. */
    public TrustScores {
        scores = scores.clone();
        closestOtherClass = closestOtherClass.clone();
    }
}

package dev.gauntlet.trust;

import java.util.Arrays;

/**
 * Trust scores of a batch of predictions: what {@link TrustScore#score} returns.
 *
 * @param scores per sample: distance to the closest other class / (distance to the predicted class + 1e-12);
 *     higher means more trustworthy
 * @param closestOtherClass per sample: the class, other than the predicted one, whose data is closest
 */
public record TrustScoreBatch(double[] scores, int[] closestOtherClass) {

    /** A trust score below this is low trust: another class's training data is closer than the predicted one's. */
    public static final double LOW_TRUST = 1;

    /** Copies the arrays. */
    public TrustScoreBatch {
        scores = scores.clone();
        closestOtherClass = closestOtherClass.clone();
    }

    /**
     * Returns the mean trust score.
     *
     * @return the mean, NaN for no samples
     */
    public double mean() {
        return Arrays.stream(scores).average().orElse(Double.NaN);
    }

    /**
     * Returns the fraction of low-trust predictions.
     *
     * @return the fraction with a score below {@link #LOW_TRUST}, NaN for no samples
     */
    public double lowTrustFraction() {
        return lowTrustFraction(scores);
    }

    /**
     * Returns the fraction of scores below {@link #LOW_TRUST}.
     *
     * @param scores trust scores
     * @return the fraction, NaN for no scores
     */
    public static double lowTrustFraction(double[] scores) {
        return (double) Arrays.stream(scores).filter(s -> s < LOW_TRUST).count() / scores.length;
    }
}

package dev.gauntlet.certify;

import java.util.Arrays;
import java.util.List;

/**
 * Robust accuracy bracketed at several radii: at each ε the certified lower bound, the attack's
 * upper bound and the open fraction between them, with what would disprove the bracket.
 *
 * @param epsilons the L∞ radii, increasing
 * @param reports one report per radius, in the same order
 */
public record BracketCurve(double[] epsilons, List<CertificationReport> reports) {

    /** Checks that there is one report per radius and copies both. */
    public BracketCurve {
        if (epsilons.length == 0 || epsilons.length != reports.size()) {
            throw new IllegalArgumentException("need one report per epsilon, got " + epsilons.length + " epsilons and "
                    + reports.size() + " reports");
        }
        epsilons = epsilons.clone();
        reports = List.copyOf(reports);
    }

    @Override
    public double[] epsilons() {
        return epsilons.clone();
    }

    /**
     * Returns the certified accuracy at each radius: the lower bound.
     *
     * @return one fraction per radius
     */
    public double[] certifiedAccuracy() {
        return reports.stream().mapToDouble(CertificationReport::certifiedAccuracy).toArray();
    }

    /**
     * Returns the attack's robust accuracy at each radius: the upper bound.
     *
     * @return one fraction per radius
     */
    public double[] robustAccuracyUpperBound() {
        return reports.stream().mapToDouble(CertificationReport::robustAccuracyUpperBound).toArray();
    }

    /**
     * Returns the fraction neither certified nor attacked at each radius.
     *
     * @return one fraction per radius
     */
    public double[] openFraction() {
        return reports.stream().mapToDouble(CertificationReport::openFraction).toArray();
    }

    /**
     * Returns the samples both certified and attacked at each radius; any would disprove the bound.
     *
     * @return one count per radius
     */
    public int[] contradictionsPerRadius() {
        return reports.stream().mapToInt(CertificationReport::contradictions).toArray();
    }

    /**
     * Returns the samples both certified and attacked, summed over the radii.
     *
     * @return 0 for a sound bracket
     */
    public int contradictions() {
        return Arrays.stream(contradictionsPerRadius()).sum();
    }

    /**
     * Returns by how many samples the certified accuracy exceeds the attack's robust accuracy at the
     * worst radius, counted in samples so that fractions equal up to rounding compare equal.
     *
     * @return at most 0 for a sound bracket
     */
    public long worstExcessInSamples() {
        long worst = Long.MIN_VALUE;
        for (CertificationReport r : reports) {
            worst = Math.max(worst, Math.round((r.certifiedAccuracy() - r.robustAccuracyUpperBound()) * r.samples()));
        }
        return worst;
    }
}

package dev.gauntlet.certify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The robust accuracy of a classifier within an L∞ ball, bracketed: the fraction a sound bound
 * certifies is a lower bound, one minus the fraction an attack broke is an upper bound, and the
 * open fraction between them is what neither can settle.
 *
 * <p>{@code certifiedAccuracy ≤ true robust accuracy ≤ robustAccuracyUpperBound()}, where the
 * upper bound equals the attack's robust accuracy in {@code RobustnessReport} (same batches and
 * seeds). A sample both certified and attacked would disprove the bound: it is counted in
 * {@link #contradictions()}, reported as attacked, and assertions fail on it.
 *
 * @param method the bound method
 * @param attack the attack's name, or {@code "none"} when only misclassified samples count as attacked
 * @param epsilon the L∞ radius
 * @param samples the number of samples
 * @param cleanAccuracy accuracy on the clean samples
 * @param certifiedAccuracy the fraction certified (correct, and proven robust)
 * @param attackedFraction the fraction misclassified clean or broken by the attack
 * @param openFraction the fraction neither certified nor attacked
 * @param contradictions samples the bound certified that the attack nevertheless broke (0 when sound)
 * @param verdicts one verdict per sample, in data order
 * @param marginLowerBounds per sample, the bound on {@code min_c (z_label − z_c)} over the ball
 */
public record CertificationReport(BoundMethod method, String attack, double epsilon, int samples, double cleanAccuracy,
        double certifiedAccuracy, double attackedFraction, double openFraction, int contradictions, List<Verdict> verdicts,
        double[] marginLowerBounds) {

    /** Copies the per-sample values. */
    public CertificationReport {
        verdicts = List.copyOf(verdicts);
        marginLowerBounds = marginLowerBounds.clone();
    }

    @Override
    public double[] marginLowerBounds() {
        return marginLowerBounds.clone();
    }

    /**
     * Returns the upper end of the bracket, {@code 1 − attackedFraction}.
     *
     * @return the attack's robust accuracy
     */
    public double robustAccuracyUpperBound() {
        return 1 - attackedFraction;
    }

    /**
     * Returns one sample's verdict.
     *
     * @param index the sample index
     * @return certified, attacked or open
     */
    public Verdict verdict(int index) {
        return verdicts.get(index);
    }

    /**
     * Returns the metrics as an ordered map, for JSON evidence (per-sample values left out).
     *
     * @return every aggregate of the report
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("method", method.name());
        map.put("attack", attack);
        map.put("norm", "Linf");
        map.put("epsilon", epsilon);
        map.put("samples", samples);
        map.put("cleanAccuracy", cleanAccuracy);
        map.put("certifiedAccuracy", certifiedAccuracy);
        map.put("robustAccuracyUpperBound", robustAccuracyUpperBound());
        map.put("openFraction", openFraction);
        map.put("attackedFraction", attackedFraction);
        map.put("contradictions", contradictions);
        return map;
    }
}

package dev.gauntlet.certify;

import dev.gauntlet.report.Fields;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 * @param seed the attack's run seed (each sample's attack is seeded from it and the sample's index)
 * @param firstIndex the index in the whole dataset of the first sample: 0, or a shard's start
 * @param cleanCorrect per sample, whether the clean prediction is right
 */
public record CertificationReport(BoundMethod method, String attack, double epsilon, int samples, double cleanAccuracy,
        double certifiedAccuracy, double attackedFraction, double openFraction, int contradictions, List<Verdict> verdicts,
        double[] marginLowerBounds, long seed, int firstIndex, boolean[] cleanCorrect) {

    /** Copies the per-sample values and checks there is one of each per sample. */
    public CertificationReport {
        verdicts = List.copyOf(verdicts);
        marginLowerBounds = marginLowerBounds.clone();
        cleanCorrect = cleanCorrect.clone();
        if (verdicts.size() != samples || marginLowerBounds.length != samples || cleanCorrect.length != samples) {
            throw new IllegalArgumentException("need one verdict, margin and clean result per sample (" + samples
                    + "), got " + verdicts.size() + ", " + marginLowerBounds.length + " and " + cleanCorrect.length);
        }
    }

    /**
     * Builds a report from its per-sample values, every aggregate a count over {@code samples}.
     *
     * @return the report
     */
    static CertificationReport of(BoundMethod method, String attack, double epsilon, long seed, int firstIndex,
            List<Verdict> verdicts, double[] margins, boolean[] cleanCorrect, int contradictions) {
        int n = verdicts.size();
        int certified = 0;
        int broken = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            certified += verdicts.get(i) == Verdict.CERTIFIED ? 1 : 0;
            broken += verdicts.get(i) == Verdict.ATTACKED ? 1 : 0;
            correct += cleanCorrect[i] ? 1 : 0;
        }
        return new CertificationReport(method, attack, epsilon, n, (double) correct / n, (double) certified / n,
                (double) broken / n, (double) (n - certified - broken) / n, contradictions, verdicts, margins, seed,
                firstIndex, cleanCorrect);
    }

    /**
     * Merges the reports of shards of one run (same method, attack, ε and seed; consecutive ranges
     * of samples, in any order) into the report of the whole run, equal to the unsplit one bit for
     * bit when the shards lie on batch boundaries ({@code attack.Shard}).
     *
     * @param shards the shards' reports
     * @return the whole run's report
     * @throws IllegalArgumentException if the shards come from different runs, overlap or leave a gap
     */
    public static CertificationReport merge(List<CertificationReport> shards) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("merge needs at least one shard report");
        }
        CertificationReport first = shards.get(0);
        for (CertificationReport shard : shards) {
            if (shard.method != first.method || !shard.attack.equals(first.attack)
                    || Double.compare(shard.epsilon, first.epsilon) != 0 || shard.seed != first.seed) {
                throw new IllegalArgumentException("cannot merge reports of different runs: " + shard.describe()
                        + " differs from " + first.describe() + "; every shard must use the same method, attack and"
                        + " run seed");
            }
        }
        List<CertificationReport> ordered = new ArrayList<>(shards);
        ordered.sort(Comparator.comparingInt(CertificationReport::firstIndex));
        List<Verdict> verdicts = new ArrayList<>();
        double[] margins = new double[ordered.stream().mapToInt(CertificationReport::samples).sum()];
        boolean[] correct = new boolean[margins.length];
        int contradictions = 0;
        int next = ordered.get(0).firstIndex;
        for (CertificationReport shard : ordered) {
            if (shard.firstIndex != next) {
                throw new IllegalArgumentException(shard.firstIndex < next
                        ? "shards overlap: samples " + shard.range() + " start before " + next
                        : "shards leave a gap: samples " + next + ".." + (shard.firstIndex - 1) + " are missing before "
                                + shard.range());
            }
            System.arraycopy(shard.marginLowerBounds, 0, margins, verdicts.size(), shard.samples);
            System.arraycopy(shard.cleanCorrect, 0, correct, verdicts.size(), shard.samples);
            verdicts.addAll(shard.verdicts);
            contradictions += shard.contradictions;
            next += shard.samples;
        }
        return of(first.method, first.attack, first.epsilon, first.seed, ordered.get(0).firstIndex, verdicts, margins,
                correct, contradictions);
    }

    private String describe() {
        return method + " / " + attack + " at eps " + epsilon + ", seed " + seed + ", samples " + range();
    }

    private String range() {
        return firstIndex + ".." + (firstIndex + samples - 1);
    }

    @Override
    public boolean[] cleanCorrect() {
        return cleanCorrect.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificationReport r && method == r.method && attack.equals(r.attack)
                && Double.compare(epsilon, r.epsilon) == 0 && samples == r.samples
                && Double.compare(cleanAccuracy, r.cleanAccuracy) == 0
                && Double.compare(certifiedAccuracy, r.certifiedAccuracy) == 0
                && Double.compare(attackedFraction, r.attackedFraction) == 0
                && Double.compare(openFraction, r.openFraction) == 0 && contradictions == r.contradictions
                && verdicts.equals(r.verdicts) && Arrays.equals(marginLowerBounds, r.marginLowerBounds)
                && seed == r.seed && firstIndex == r.firstIndex && Arrays.equals(cleanCorrect, r.cleanCorrect);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, attack, epsilon, samples, seed, firstIndex, verdicts,
                Arrays.hashCode(marginLowerBounds));
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
        return Fields.of(
                "method", method.name(),
                "attack", attack,
                "norm", "Linf",
                "epsilon", epsilon,
                "samples", samples,
                "cleanAccuracy", cleanAccuracy,
                "certifiedAccuracy", certifiedAccuracy,
                "robustAccuracyUpperBound", robustAccuracyUpperBound(),
                "openFraction", openFraction,
                "attackedFraction", attackedFraction,
                "contradictions", contradictions);
    }
}

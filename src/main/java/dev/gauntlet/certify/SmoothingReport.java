package dev.gauntlet.certify;

import dev.gauntlet.report.Fields;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Randomized-smoothing certificates over a dataset.
 *
 * @param smoothing the smoothing's name with its parameters
 * @param sigma σ
 * @param selectionSamples n0
 * @param estimationSamples n
 * @param alpha α
 * @param labels the true classes, in data order
 * @param certificates one certificate per sample, in data order
 * @param seed the run's seed (sample {@code i} drew its noise from {@code RandomizedSmoothing.sampleSeed(seed, i)})
 * @param firstIndex the index in the whole dataset of the first sample: 0, or a shard's start
 */
public record SmoothingReport(String smoothing, double sigma, int selectionSamples, int estimationSamples, double alpha,
        int[] labels, List<SmoothedCertificate> certificates, long seed, int firstIndex) {

    /** Copies and checks the per-sample values. */
    public SmoothingReport {
        labels = labels.clone();
        certificates = List.copyOf(certificates);
        if (labels.length != certificates.size() || labels.length == 0) {
            throw new IllegalArgumentException("need one certificate per label, and at least one; got "
                    + certificates.size() + " and " + labels.length);
        }
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    /**
     * Merges the reports of shards of one run (same smoothing and seed; consecutive ranges of samples,
     * in any order) into the whole run's report, equal to the unsplit one: each sample's noise depends
     * only on the run seed and its index, so any split works.
     *
     * @param shards the shards' reports
     * @return the whole run's report
     * @throws IllegalArgumentException if the shards come from different runs, overlap or leave a gap
     */
    public static SmoothingReport merge(List<SmoothingReport> shards) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("merge needs at least one shard report");
        }
        SmoothingReport first = shards.get(0);
        for (SmoothingReport shard : shards) {
            if (!shard.smoothing.equals(first.smoothing) || shard.seed != first.seed) {
                throw new IllegalArgumentException("cannot merge reports of different runs: " + shard.smoothing
                        + " seed " + shard.seed + " differs from " + first.smoothing + " seed " + first.seed);
            }
        }
        List<SmoothingReport> ordered = new ArrayList<>(shards);
        ordered.sort(Comparator.comparingInt(SmoothingReport::firstIndex));
        List<SmoothedCertificate> certificates = new ArrayList<>();
        int[] labels = new int[ordered.stream().mapToInt(SmoothingReport::samples).sum()];
        int next = ordered.get(0).firstIndex;
        for (SmoothingReport shard : ordered) {
            if (shard.firstIndex != next) {
                throw new IllegalArgumentException(shard.firstIndex < next
                        ? "shards overlap: samples from " + shard.firstIndex + " start before " + next
                        : "shards leave a gap: samples " + next + ".." + (shard.firstIndex - 1) + " are missing");
            }
            System.arraycopy(shard.labels, 0, labels, certificates.size(), shard.samples());
            certificates.addAll(shard.certificates);
            next += shard.samples();
        }
        return new SmoothingReport(first.smoothing, first.sigma, first.selectionSamples, first.estimationSamples,
                first.alpha, labels, certificates, first.seed, ordered.get(0).firstIndex);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmoothingReport r && smoothing.equals(r.smoothing) && Double.compare(sigma, r.sigma) == 0
                && selectionSamples == r.selectionSamples && estimationSamples == r.estimationSamples
                && Double.compare(alpha, r.alpha) == 0 && Arrays.equals(labels, r.labels)
                && certificates.equals(r.certificates) && seed == r.seed && firstIndex == r.firstIndex;
    }

    @Override
    public int hashCode() {
        return Objects.hash(smoothing, sigma, Arrays.hashCode(labels), certificates, seed, firstIndex);
    }

    /** @return the number of samples */
    public int samples() {
        return labels.length;
    }

    /**
     * Returns the certified accuracy at an L2 radius, as Cohen et al. report it: the fraction of
     * samples whose certified class is the label with a radius of at least {@code radius}.
     *
     * @param radius the L2 radius, at least 0
     * @return the fraction
     */
    public double certifiedAccuracyAt(double radius) {
        int count = 0;
        for (int i = 0; i < labels.length; i++) {
            SmoothedCertificate c = certificates.get(i);
            count += c.prediction() == labels[i] && c.radius() >= radius ? 1 : 0;
        }
        return (double) count / labels.length;
    }

    /** @return the fraction of samples the smoothed classifier abstained on */
    public double abstentionRate() {
        return certificates.stream().filter(SmoothedCertificate::abstained).count() / (double) labels.length;
    }

    /** @return the median certified radius of the correctly certified samples (NaN if none) */
    public double medianRadius() {
        double[] radii = new double[labels.length];
        int k = 0;
        for (int i = 0; i < labels.length; i++) {
            if (certificates.get(i).prediction() == labels[i]) {
                radii[k++] = certificates.get(i).radius();
            }
        }
        if (k == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(radii, k);
        Arrays.sort(sorted);
        return k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
    }

    /**
     * Returns the metrics as an ordered map, for JSON evidence.
     *
     * @return the aggregates and the per-sample radii
     */
    public Map<String, Object> toMap() {
        return Fields.of(
                "smoothing", smoothing,
                "sigma", sigma,
                "n0", selectionSamples,
                "n", estimationSamples,
                "alpha", alpha,
                "samples", samples(),
                "certifiedAccuracyAtRadius0", certifiedAccuracyAt(0),
                "abstentionRate", abstentionRate(),
                "medianRadius", medianRadius(),
                "radii", certificates.stream().mapToDouble(SmoothedCertificate::radius).toArray(),
                "predictions", certificates.stream().mapToInt(SmoothedCertificate::prediction).toArray());
    }
}

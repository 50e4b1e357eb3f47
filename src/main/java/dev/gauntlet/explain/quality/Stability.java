package dev.gauntlet.explain.quality;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.StandardNormal;
import dev.gauntlet.data.ValueBounds;
import dev.gauntlet.explain.Explainer;
import dev.gauntlet.explain.ExplanationBatch;
import dev.gauntlet.model.Classifier;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Explanation stability metrics, after captum and Quantus. Each perturbs every sample
 * {@code samples} times (clipped to the data's bounds), explains the perturbed copies for the
 * <em>original</em> predicted class and compares:
 *
 * <ul>
 *   <li>{@link #maxSensitivity}: max over perturbations of ‖e − e′‖₂ / ‖e‖₂, perturbations uniform in
 *       the L∞ ball of radius r (captum's {@code sensitivity_max}: r 0.02, 10 samples);</li>
 *   <li>{@link #avgSensitivity}: the same, averaged;</li>
 *   <li>{@link #localLipschitz}: max ‖e − e′‖₂ / ‖x − x′‖₂ with Gaussian perturbations (Alvarez-Melis
 *       &amp; Jaakkola 2018; Quantus: σ 0.1);</li>
 *   <li>{@link #relativeInputStability}: max ‖(e − e′)/e‖₂ / max(‖(x − x′)/x‖₂, 1e-6), elementwise
 *       ratios guarded by 1e-6 (Agarwal et al. 2022);</li>
 *   <li>{@link #topKOverlap} and {@link #spearman}: mean similarity of |e| and |e′| — the shared
 *       fraction of the top-k features, Spearman's rank correlation (higher is stabler).</li>
 * </ul>
 */
public final class Stability {

    private static final double GUARD = 1e-6;

    private Stability() {}

    /** What one perturbation comparison computes. */
    private interface Comparison {
        double compare(float[] x, float[] xp, float[] e, float[] ep);
    }

    /** @return max-sensitivity with captum's defaults (radius 0.02, 10 perturbations) */
    public static StabilityMetric maxSensitivity() {
        return maxSensitivity(0.02, 10);
    }

    /**
     * Max-sensitivity.
     *
     * @param radius the L∞ radius of the uniform perturbations
     * @param samples perturbations per sample
     * @return the metric
     */
    public static StabilityMetric maxSensitivity(double radius, int samples) {
        return metric("max-sensitivity", radius, samples, true, true, false, Stability::sensitivity);
    }

    /**
     * Avg-sensitivity.
     *
     * @param radius the L∞ radius of the uniform perturbations
     * @param samples perturbations per sample
     * @return the metric
     */
    public static StabilityMetric avgSensitivity(double radius, int samples) {
        return metric("avg-sensitivity", radius, samples, true, false, false, Stability::sensitivity);
    }

    /**
     * The local Lipschitz estimate.
     *
     * @param std the standard deviation of the Gaussian perturbations
     * @param samples perturbations per sample
     * @return the metric
     */
    public static StabilityMetric localLipschitz(double std, int samples) {
        return metric("local-lipschitz", std, samples, false, true, false,
                (x, xp, e, ep) -> norm(difference(e, ep)) / Math.max(norm(difference(x, xp)), GUARD));
    }

    /**
     * Relative input stability.
     *
     * @param radius the L∞ radius of the uniform perturbations
     * @param samples perturbations per sample
     * @return the metric
     */
    public static StabilityMetric relativeInputStability(double radius, int samples) {
        return metric("relative-input-stability", radius, samples, true, true, false,
                (x, xp, e, ep) -> norm(relative(e, ep)) / Math.max(norm(relative(x, xp)), GUARD));
    }

    /**
     * Top-k feature overlap of |e| and |e′|, in [0, 1].
     *
     * @param k the number of top features
     * @param radius the L∞ radius of the uniform perturbations
     * @param samples perturbations per sample
     * @return the metric (higher is stabler)
     */
    public static StabilityMetric topKOverlap(int k, double radius, int samples) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        return metric("top-" + k + "-overlap", radius, samples, true, false, true,
                (x, xp, e, ep) -> overlap(e, ep, k));
    }

    /**
     * Spearman's rank correlation of |e| and |e′|, in [-1, 1].
     *
     * @param radius the L∞ radius of the uniform perturbations
     * @param samples perturbations per sample
     * @return the metric (higher is stabler)
     */
    public static StabilityMetric spearman(double radius, int samples) {
        return metric("spearman", radius, samples, true, false, true,
                (x, xp, e, ep) -> spearman(abs(e), abs(ep)));
    }

    private static StabilityMetric metric(String name, double size, int samples, boolean uniform, boolean maximum,
            boolean similarity, Comparison comparison) {
        if (!(size > 0) || Double.isInfinite(size)) {
            throw new IllegalArgumentException("the perturbation size must be finite and > 0, got " + size);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        String full = name + "(" + (uniform ? "radius " : "std ") + size + ", " + samples + " perturbations)";
        return new StabilityMetric() {
            @Override
            public String name() {
                return full;
            }

            @Override
            public boolean higherIsStabler() {
                return similarity;
            }

            @Override
            public double[] measure(Explainer explainer, Classifier classifier, Dataset data, long seed) {
                int[] classes = classifier.predict(data);
                ExplanationBatch base = explainer.explain(classifier, data, classes, seed);
                SplittableRandom random = new SplittableRandom(seed);
                double[] result = new double[data.size()];
                Arrays.fill(result, maximum ? Double.NEGATIVE_INFINITY : 0);
                for (int s = 0; s < samples; s++) {
                    Dataset perturbed = perturb(data, size, uniform, random);
                    ExplanationBatch moved = explainer.explain(classifier, perturbed, classes, seed + 7919L * (s + 1));
                    for (int i = 0; i < data.size(); i++) {
                        double value = comparison.compare(data.features(i), perturbed.features(i),
                                base.attributions()[i], moved.attributions()[i]);
                        result[i] = maximum ? Math.max(result[i], value) : result[i] + value / samples;
                    }
                }
                return result;
            }
        };
    }

    static Dataset perturb(Dataset data, double size, boolean uniform, SplittableRandom random) {
        int width = data.featureCount();
        float[] values = new float[data.size() * width];
        ValueBounds bounds = data.bounds();
        for (int i = 0; i < data.size(); i++) {
            float[] row = data.features(i);
            for (int j = 0; j < width; j++) {
                double noise = uniform ? (2 * random.nextDouble() - 1) * size : StandardNormal.draw(random) * size;
                values[i * width + j] = (float) Math.min(bounds.upper(), Math.max(bounds.lower(), row[j] + noise));
            }
        }
        return data.withFeatures(values, bounds);
    }

    private static double sensitivity(float[] x, float[] xp, float[] e, float[] ep) {
        return norm(difference(e, ep)) / Math.max(norm(toDouble(e)), GUARD);
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static double[] difference(float[] a, float[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = (double) a[i] - b[i];
        }
        return d;
    }

    private static double[] relative(float[] a, float[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double denominator = Math.abs(a[i]) < GUARD ? GUARD : a[i];
            d[i] = ((double) a[i] - b[i]) / denominator;
        }
        return d;
    }

    private static double norm(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    private static double[] abs(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = Math.abs(a[i]);
        }
        return d;
    }

    static double overlap(float[] a, float[] b, int k) {
        int[] top = topK(abs(a), k);
        int[] other = topK(abs(b), k);
        Set<Integer> set = new HashSet<>();
        for (int i : top) {
            set.add(i);
        }
        int shared = 0;
        for (int i : other) {
            shared += set.contains(i) ? 1 : 0;
        }
        return (double) shared / top.length;
    }

    private static int[] topK(double[] values, int k) {
        return IntStream.range(0, values.length).boxed()
                .sorted((i, j) -> Double.compare(values[j], values[i])).limit(k).mapToInt(Integer::intValue).toArray();
    }

    /**
     * Spearman's rank correlation: Pearson's correlation of the ranks, ties given their mean rank.
     *
     * @param a the first values
     * @param b the second values, same length
     * @return the correlation, 0 when either side is constant
     */
    public static double spearman(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("rank correlation needs equal lengths, got " + a.length + " and "
                    + b.length);
        }
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElse(0);
        double mb = Arrays.stream(rb).average().orElse(0);
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < ra.length; i++) {
            cov += (ra[i] - ma) * (rb[i] - mb);
            va += (ra[i] - ma) * (ra[i] - ma);
            vb += (rb[i] - mb) * (rb[i] - mb);
        }
        return va == 0 || vb == 0 ? 0 : cov / Math.sqrt(va * vb);
    }

    private static double[] ranks(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(values[i], values[j]));
        double[] ranks = new double[values.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }
}

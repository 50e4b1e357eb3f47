package dev.gauntlet.shift;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.InvalidDataException;
import dev.gauntlet.data.PcaProjection;
import dev.gauntlet.data.Permutations;
import dev.gauntlet.data.Standardizer;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Maximum mean discrepancy permutation test, as alibi-detect's {@code MMDDrift}: the unbiased
 * MMD² between reference and current samples with a Gaussian RBF kernel
 * {@code k(x, y) = exp(−‖x − y‖² / (2σ²))}, σ by alibi-detect's default median heuristic
 * ({@code configure_kernel_from_x_ref=True}, {@code sigma_median}): {@code σ² = 0.5 · s[n + (n² − n)/2 − 1]}
 * where {@code s} is the sorted n × n matrix of squared reference–reference distances, its n zeros
 * included (the lower middle of the off-diagonal values; floored at 1e-12 so constant data stay
 * defined), and a p-value from seeded
 * permutations of the pooled sample: {@code p = mean(MMD² ≤ MMD²_perm)} (alibi-detect's
 * definition, not the (k + 1)/(n + 1) variant). The kernel matrix is computed once by a float64
 * matrix product on the DJL engine, on data centred by the pooled mean (so features far from the
 * origin keep their digits), and reused by every permutation; {@code MmdParityTests} asserts MMD²
 * against numpy float64 with alibi-detect's bandwidth to 1e-6 relative. Defaults: 100 permutations,
 * p_val 0.05. Features enter the kernel as they are unless {@link #standardized()} scales them by
 * the reference sample's statistics (recommended for tabular features on different scales).
 *
 * <p>Size limit: the kernel matrix holds {@code (n + m)²} doubles and every permutation walks all
 * of it, so time and memory grow with the square of the pooled sample. The test refuses more than
 * {@value #DEFAULT_MAX_SAMPLES} pooled samples by default (300 MB of kernel and distances, about
 * 13 s for 100 permutations on 16 cores; 12,000 + 12,000 took 56 s and 9.2 GB) with an {@link InvalidDataException} that says so; subsample both sides (for example
 * {@link Dataset#sample(int, long)}, or the CLI's {@code --sample}), or raise the limit with
 * {@link #maxSamples(int)} up to {@value #MAX_SAMPLES_CEILING}, where the squared-distance array
 * still fits one Java array.
 */
public final class MmdDrift implements DriftDetector {

    /** The default largest pooled sample {@code n + m}: a 200 MB kernel matrix. */
    public static final int DEFAULT_MAX_SAMPLES = 5_000;
    /** The largest limit {@link #maxSamples(int)} accepts: {@code (n + m)²} floats must fit one array. */
    public static final int MAX_SAMPLES_CEILING = 20_000;

    private final int permutations;
    private final double pVal;
    private final int components;
    private final int maxSamples;
    private final boolean standardized;

    private MmdDrift(int permutations, double pVal) {
        this(permutations, pVal, 0, DEFAULT_MAX_SAMPLES, false);
    }

    private MmdDrift(int permutations, double pVal, int components, int maxSamples, boolean standardized) {
        if (permutations < 1) {
            throw new IllegalArgumentException("permutations must be >= 1, got " + permutations);
        }
        if (!(pVal > 0 && pVal < 1)) {
            throw new IllegalArgumentException("pVal must be in (0, 1), got " + pVal);
        }
        if (components < 0) {
            throw new IllegalArgumentException("components must be >= 0, got " + components);
        }
        if (maxSamples < 4 || maxSamples > MAX_SAMPLES_CEILING) {
            throw new IllegalArgumentException("maxSamples must be in [4, " + MAX_SAMPLES_CEILING + "], got "
                    + maxSamples + "; subsample larger data first");
        }
        this.permutations = permutations;
        this.pVal = pVal;
        this.components = components;
        this.maxSamples = maxSamples;
        this.standardized = standardized;
    }

    /**
     * Returns the test run on the leading principal components of the reference data (fitted on
     * the reference sample only), for high-dimensional inputs where the RBF kernel on raw
     * features loses power (alibi-detect recommends such a preprocessing step).
     *
     * @param count the number of components, at least 1
     * @return the test
     */
    public MmdDrift projectedTo(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("components must be >= 1, got " + count);
        }
        return new MmdDrift(permutations, pVal, count, maxSamples, standardized);
    }

    /**
     * Returns the test with alibi-detect's defaults: 100 permutations, p_val 0.05.
     *
     * @return the test
     */
    public static MmdDrift mmd() {
        return new MmdDrift(100, 0.05);
    }

    /**
     * Returns the test with another number of permutations.
     *
     * @param count at least 1
     * @return the test
     */
    public MmdDrift permutations(int count) {
        return new MmdDrift(count, pVal, components, maxSamples, standardized);
    }

    /**
     * Returns the test at another significance level.
     *
     * @param level in (0, 1)
     * @return the test
     */
    public MmdDrift pVal(double level) {
        return new MmdDrift(permutations, level, components, maxSamples, standardized);
    }

    /**
     * Returns the test with another limit on the pooled sample size {@code n + m}; memory grows
     * as {@code 12 · (n + m)²} bytes and time per permutation as {@code (n + m)²}.
     *
     * @param count the largest {@code n + m}, in [4, {@value #MAX_SAMPLES_CEILING}];
     *     {@value #DEFAULT_MAX_SAMPLES} by default
     * @return the test
     */
    public MmdDrift maxSamples(int count) {
        return new MmdDrift(permutations, pVal, components, count, standardized);
    }

    /**
     * Returns the test run on features standardised by the reference sample: every feature of
     * both samples has the reference mean subtracted and is divided by the reference standard
     * deviation (population, as {@link Standardizer}), before any {@link #projectedTo(int)
     * projection}. Without it the RBF kernel sees raw distances, so one large-scale feature
     * (income in the thousands) swamps a clear shift in a small-scale one (age in tens); use it
     * for tabular data whose features are on different scales. A feature constant in the reference
     * (standard deviation 0) is only centred, not scaled: a current value off that constant then
     * counts at its raw size.
     *
     * @return the test
     */
    public MmdDrift standardized() {
        return new MmdDrift(permutations, pVal, components, maxSamples, true);
    }

    /**
     * Returns whether features are standardised by the reference sample.
     *
     * @return true after {@link #standardized()}
     */
    public boolean isStandardized() {
        return standardized;
    }

    /**
     * Returns the largest pooled sample size {@code n + m} the test accepts.
     *
     * @return the limit
     */
    public int maxSamples() {
        return maxSamples;
    }

    @Override
    public String name() {
        return "mmd(permutations=" + permutations + ", p_val=" + pVal
                + (standardized ? ", standardized by reference mean and sd" : "")
                + (components > 0 ? ", pca=" + components : "") + ")";
    }

    /**
     * Tests whether two samples come from the same distribution; the result's statistic is MMD²
     * and it has no per-feature details.
     */
    @Override
    public DriftResult test(Dataset reference, Dataset current, long seed) {
        if (reference.featureCount() != current.featureCount()) {
            throw new InvalidDataException("reference '" + reference.name() + "' has " + reference.featureCount()
                    + " features but current '" + current.name() + "' has " + current.featureCount());
        }
        int n = reference.size();
        int m = current.size();
        if (n < 2 || m < 2) {
            throw new InvalidDataException("MMD needs at least 2 samples on each side, got " + n + " and " + m);
        }
        if ((long) n + m > maxSamples) {
            throw new InvalidDataException(String.format(Locale.ROOT, "MMD of reference '%s' (%d samples)"
                    + " and current '%s' (%d samples) pools %d samples, above the limit of %d: the kernel matrix would"
                    + " take %.1f GB; subsample both sides (Dataset.sample, or the CLI's --sample) or raise the limit"
                    + " with maxSamples(...) up to %d", reference.name(), n, current.name(), m, (long) n + m,
                    maxSamples, 12.0 * ((long) n + m) * ((long) n + m) / 1e9, MAX_SAMPLES_CEILING));
        }
        if (standardized) {
            Standardizer byReference = Standardizer.fit(reference);
            reference = byReference.transform(reference);
            current = byReference.transform(current);
        }
        float[][] pooled = new float[n + m][];
        for (int i = 0; i < n; i++) {
            pooled[i] = reference.features(i);
        }
        for (int i = 0; i < m; i++) {
            pooled[n + i] = current.features(i);
        }
        if (components > 0) {
            PcaProjection pca = PcaProjection.fit(Arrays.copyOf(pooled, n), components, seed);
            pooled = pca.project(pooled);
        }
        double[][] kernel = kernel(pooled, n);
        double observed = mmd2(kernel, identity(n + m), n);
        Random random = new Random(seed);
        int[][] orders = new int[permutations][];
        for (int p = 0; p < permutations; p++) {
            orders[p] = Permutations.of(n + m, random); // drawn in sequence, so the seed fixes them all
        }
        double[] permuted = IntStream.range(0, permutations).parallel()
                .mapToDouble(p -> mmd2(kernel, orders[p], n)).toArray();
        int atLeast = 0;
        for (double value : permuted) {
            atLeast += observed <= value ? 1 : 0;
        }
        double pValue = (double) atLeast / permutations;
        return new DriftResult(name(), observed, pValue, pVal, pValue < pVal, List.of(), permuted);
    }

    /** The RBF kernel matrix of the pooled sample, σ by alibi-detect's median over reference–reference pairs. */
    static double[][] kernel(float[][] pooled, int n) {
        int total = pooled.length;
        int d = pooled[0].length;
        double[] mean = new double[d];
        for (float[] row : pooled) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        double[] centred = new double[total * d];
        for (int i = 0; i < total; i++) {
            for (int j = 0; j < d; j++) {
                centred[i * d + j] = pooled[i][j] - mean[j] / total;
            }
        }
        double[] squared;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray z = manager.create(centred, new Shape(total, d));
            NDArray norms = z.square().sum(new int[] {1});
            squared = norms.reshape(-1, 1).add(norms.reshape(1, -1)).sub(z.matMul(z.transpose()).mul(2)).maximum(0.0)
                    .toDoubleArray();
        }
        // alibi's index n + (n² − n)/2 − 1 into the sorted full matrix (n diagonal zeros, then every pair twice)
        // is the ((p − 1)/2)-th smallest of the p = n(n − 1)/2 distinct pairs
        double[] pairs = new double[Math.toIntExact((long) n * (n - 1) / 2)];
        for (int i = 0, c = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                pairs[c++] = squared[i * total + j];
            }
        }
        double sigmaSquared = Math.max(0.5 * select(pairs, (pairs.length - 1) / 2), 1e-12);
        double[][] kernel = new double[total][total];
        for (int i = 0; i < total; i++) {
            for (int j = 0; j < total; j++) {
                kernel[i][j] = i == j ? 1 : Math.exp(-squared[i * total + j] / (2 * sigmaSquared));
            }
        }
        return kernel;
    }

    /** The k-th smallest value (0-based) of {@code values}, which it reorders: Hoare's selection, expected O(n). */
    static double select(double[] values, int k) {
        int low = 0;
        int high = values.length - 1;
        while (low < high) {
            double pivot = values[(low + high) >>> 1];
            int i = low;
            int j = high;
            while (i <= j) {
                while (values[i] < pivot) {
                    i++;
                }
                while (values[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double swap = values[i];
                    values[i++] = values[j];
                    values[j--] = swap;
                }
            }
            if (k <= j) {
                high = j;
            } else if (k >= i) {
                low = i;
            } else {
                return values[k];
            }
        }
        return values[k];
    }

    /** Unbiased MMD² of the first n indices of {@code order} against the rest. */
    static double mmd2(double[][] kernel, int[] order, int n) {
        int total = order.length;
        int m = total - n;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int a = 0; a < total; a++) {
            double[] row = kernel[order[a]];
            boolean aIsX = a < n;
            for (int b = 0; b < total; b++) {
                if (a == b) {
                    continue;
                }
                double k = row[order[b]];
                boolean bIsX = b < n;
                if (aIsX && bIsX) {
                    xx += k;
                } else if (!aIsX && !bIsX) {
                    yy += k;
                } else if (aIsX) {
                    xy += k;
                }
            }
        }
        return xx / ((double) n * (n - 1)) + yy / ((double) m * (m - 1)) - 2 * xy / ((double) n * m);
    }

    private static int[] identity(int length) {
        int[] order = new int[length];
        for (int i = 0; i < length; i++) {
            order[i] = i;
        }
        return order;
    }
}

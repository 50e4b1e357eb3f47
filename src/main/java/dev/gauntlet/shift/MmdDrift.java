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
 * definition, not the (k + 1)/(n + 1) variant). The kernel matrix is computed once from a float64
 * matrix product on the DJL engine, on data centred by the pooled mean (so features far from the
 * origin keep their digits), and the observed statistic and every permutation's come together from
 * one more float64 product, the kernel times the 0/1 matrix of reference membership per split
 * (so the work per permutation is a BLAS matrix–vector share, not a walk of the kernel in Java);
 * {@code MmdParityTests} asserts MMD²
 * against numpy float64 with alibi-detect's bandwidth to 1e-6 relative. Defaults: 100 permutations,
 * p_val 0.05. Features enter the kernel as they are unless {@link #standardized()} scales them by
 * the reference sample's statistics (recommended for tabular features on different scales).
 *
 * <p>Size limit: the kernel matrix holds {@code (n + m)²} doubles, in Java and once more on the
 * engine for the products, so time and memory grow with the square of the pooled sample. The test
 * refuses more than {@value #DEFAULT_MAX_SAMPLES} pooled samples by default (400 MB of kernel
 * copies; 2,500 + 2,500 × 784 with 100 permutations took 11 s and 1.1 GB of process memory on a
 * loaded 2-core machine, 25 s and 1.7 GB before the permutations became one matrix product) with
 * an {@link InvalidDataException} that says so; subsample both sides (for example
 * {@link Dataset#sample(int, long)}, or the CLI's {@code --sample}), or raise the limit with
 * {@link #maxSamples(int)} up to {@value #MAX_SAMPLES_CEILING}, where the kernel's
 * {@code (n + m)²} doubles still fit one engine transfer (DJL copies through one direct buffer of at most
 * 2³¹ − 1 bytes).
 */
public final class MmdDrift implements DriftDetector {

    /** The default largest pooled sample {@code n + m}: a 200 MB kernel matrix. */
    public static final int DEFAULT_MAX_SAMPLES = 5_000;
    /** The largest limit {@link #maxSamples(int)} accepts: {@code (n + m)²} doubles must fit one direct buffer. */
    public static final int MAX_SAMPLES_CEILING = 16_383;

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
     * as {@code 16 · (n + m)²} bytes and time as {@code (n + m)²}.
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
                    maxSamples, 16.0 * ((long) n + m) * ((long) n + m) / 1e9, MAX_SAMPLES_CEILING));
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
        Random random = new Random(seed);
        int[][] orders = new int[permutations + 1][];
        orders[0] = identity(n + m);
        for (int p = 1; p <= permutations; p++) {
            orders[p] = Permutations.of(n + m, random); // drawn in sequence, so the seed fixes them all
        }
        double[] statistics = statistics(kernel(pooled, n), n, orders);
        double observed = statistics[0];
        double[] permuted = Arrays.copyOfRange(statistics, 1, statistics.length);
        int atLeast = 0;
        for (double value : permuted) {
            atLeast += observed <= value ? 1 : 0;
        }
        double pValue = (double) atLeast / permutations;
        return new DriftResult(name(), observed, pValue, pVal, pValue < pVal, List.of(), permuted);
    }

    /**
     * The RBF kernel matrix of the pooled sample, row-major and exactly symmetric, σ by alibi-detect's
     * median over reference–reference pairs: the Gram matrix of the centred data is one float64 matrix
     * product on the engine (BLAS), distances and exponentials are one pass over the upper triangle.
     */
    static double[] kernel(float[][] pooled, int n) {
        int total = pooled.length;
        int d = pooled[0].length;
        double[] mean = new double[d];
        for (float[] row : pooled) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        double[] centred = new double[total * d];
        double[] norms = new double[total];
        for (int i = 0; i < total; i++) {
            for (int j = 0; j < d; j++) {
                double value = pooled[i][j] - mean[j] / total;
                centred[i * d + j] = value;
                norms[i] += value * value;
            }
        }
        double[] matrix;
        try (NDManager manager = NDManager.newBaseManager();
                NDArray z = manager.create(centred, new Shape(total, d));
                NDArray transposed = z.transpose();
                NDArray gram = z.dot(transposed)) {
            matrix = gram.toDoubleArray();
        }
        // squared distances over the Gram matrix's upper triangle, in place
        IntStream.range(0, total).parallel().forEach(i -> {
            for (int j = i + 1, at = i * total + j; j < total; j++, at++) {
                matrix[at] = Math.max(norms[i] + norms[j] - 2 * matrix[at], 0);
            }
        });
        // alibi's index n + (n² − n)/2 − 1 into the sorted full matrix (n diagonal zeros, then every pair twice)
        // is the ((p − 1)/2)-th smallest of the p = n(n − 1)/2 distinct pairs
        double[] pairs = new double[Math.toIntExact((long) n * (n - 1) / 2)];
        for (int i = 0, c = 0; i < n; i++) {
            System.arraycopy(matrix, i * total + i + 1, pairs, c, n - i - 1);
            c += n - i - 1;
        }
        double scale = -0.5 / Math.max(0.5 * select(pairs, (pairs.length - 1) / 2), 1e-12);
        IntStream.range(0, total).parallel().forEach(i -> {
            matrix[i * total + i] = 1;
            for (int j = i + 1, at = i * total + j; j < total; j++, at++) {
                matrix[at] = Math.exp(matrix[at] * scale);
            }
        });
        mirrorUpperTriangle(matrix, total);
        return matrix;
    }

    /** Copies the upper triangle of a row-major square matrix onto its lower one, in cache-sized tiles. */
    private static void mirrorUpperTriangle(double[] matrix, int size) {
        int tile = 64;
        IntStream.range(0, (size + tile - 1) / tile).parallel().forEach(block -> {
            int rowStart = block * tile;
            int rowEnd = Math.min(size, rowStart + tile);
            for (int colStart = 0; colStart <= rowStart; colStart += tile) {
                int colEnd = Math.min(size, colStart + tile);
                for (int i = rowStart; i < rowEnd; i++) {
                    for (int j = colStart; j < Math.min(colEnd, i); j++) {
                        matrix[i * size + j] = matrix[j * size + i];
                    }
                }
            }
        });
    }

    /**
     * Unbiased MMD² for every split of the pooled sample: split c takes the first n indices of
     * {@code orders[c]} as the reference. All splits come from one float64 matrix product on the
     * engine, {@code K · S} with {@code S} the pooled × splits 0/1 matrix of reference membership:
     * for a reference index a, {@code (K·S)[a, c]} sums its kernel row over the reference and the row
     * sum minus it over the rest, so the three kernel sums are column sums of that product.
     */
    static double[] statistics(double[] kernel, int n, int[][] orders) {
        int total = orders[0].length;
        int m = total - n;
        int splits = orders.length;
        double[] membership = new double[total * splits];
        for (int c = 0; c < splits; c++) {
            for (int i = 0; i < n; i++) {
                membership[orders[c][i] * splits + c] = 1;
            }
        }
        double[] product;
        try (NDManager manager = NDManager.newBaseManager();
                NDArray k = manager.create(kernel, new Shape(total, total));
                NDArray s = manager.create(membership, new Shape(total, splits));
                NDArray ks = k.dot(s)) {
            product = ks.toDoubleArray();
        }
        double[] rowSums = IntStream.range(0, total).parallel().mapToDouble(a -> {
            double sum = 0;
            for (int b = 0, at = a * total; b < total; b++, at++) {
                sum += kernel[at];
            }
            return sum;
        }).toArray();
        double[] statistics = new double[splits];
        for (int c = 0; c < splits; c++) {
            double xx = 0; // the diagonal's n ones are subtracted below
            double yy = 0;
            double xy = 0;
            for (int a = 0, at = c; a < total; a++, at += splits) {
                double toReference = product[at];
                if (membership[at] == 1) {
                    xx += toReference;
                    xy += rowSums[a] - toReference;
                } else {
                    yy += rowSums[a] - toReference;
                }
            }
            statistics[c] = (xx - n) / ((double) n * (n - 1)) + (yy - m) / ((double) m * (m - 1))
                    - 2 * xy / ((double) n * m);
        }
        return statistics;
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

    private static int[] identity(int length) {
        int[] order = new int[length];
        for (int i = 0; i < length; i++) {
            order[i] = i;
        }
        return order;
    }
}

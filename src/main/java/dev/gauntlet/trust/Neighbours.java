package dev.gauntlet.trust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * Exact k-nearest-neighbour search against one or several reference sets (a trust score's classes):
 * ranking by float32 matrix products on the DJL engine, exact float64 distances for the few candidates the
 * ranking cannot tell apart.
 *
 * <p>Every reference set is centred by the sets' pooled mean (which removes the cancellation that costs
 * digits when features lie far from the origin) and augmented by its squared norms, so one matrix product
 * per block of queries and set gives {@code ‖r‖² − 2·q·r}, with no separate pass to add the norms. Per query
 * and set, the k-th smallest ranking value plus twice β, a rigorous bound on the ranking's rounding error
 * (float32 product of length d + 1, the norms, the centring), is a value that no exact neighbour can rank
 * above; the points under it get their distance recomputed from the original values, {@code √Σ (qⱼ − rⱼ)²}
 * in float64, as scikit-learn's {@code KDTree} computes it. Near-ties within the bound just add candidates;
 * values so large that the float32 product overflows make every point a candidate. So the neighbours and
 * distances are those of the exact float64 search; exactly tied points come in index order.
 *
 * <p>The selection scans each product row in Java, one thread, while the engine is idle. Measured on MXNet
 * (60,000 × 10,000 Fashion-MNIST pixels): reducing the product on the engine (broadcast add, grouped
 * minimum, comparison, {@code nonzero}) was several times slower than copying it out (DJL's MXNet engine has
 * no top-k); overlapping the next product with the scan, or scanning on two threads, slowed the matrix
 * product more than it saved on two cores; and reading the engine's direct buffer in place instead of a
 * {@code float[]} left direct buffers to pile up between garbage collections. Memory stays bounded: queries
 * go in blocks of at most {@value #MAX_BLOCK_ROWS} whose product with a set holds at most
 * {@value #BLOCK_VALUES} floats, each block's arrays in their own closed scope.
 */
final class Neighbours {

    /** Floats in one product copied to Java (32 MB). */
    private static final int BLOCK_VALUES = 1 << 23;
    /** Reference points per tile of the transposing copy. */
    private static final int TILE = 64;
    /** Queries per block. */
    private static final int MAX_BLOCK_ROWS = 1024;
    /** float32's unit roundoff. */
    private static final double U = 0x1p-24;

    private Neighbours() {}

    /**
     * The k nearest reference points of each query, ascending by distance.
     *
     * @param indices {@code [query][j]} the j-th nearest reference point
     * @param distances {@code [query][j]} its Euclidean distance
     */
    record Nearest(int[][] indices, double[][] distances) {}

    /**
     * Finds the k nearest reference points of every query.
     *
     * @param manager where to compute the ranking
     * @param queries m × d
     * @param reference r × d, r ≥ k
     * @param k the number of neighbours
     * @return indices and exact distances, ascending
     */
    static Nearest kNearest(NDManager manager, float[][] queries, float[][] reference, int k) {
        return kNearest(manager, queries, new float[][][] {reference}, k)[0];
    }

    /**
     * Finds the k nearest points of every query in each of several reference sets; each block of queries is
     * centred and copied to the engine once for all sets.
     *
     * @param manager where to compute the ranking
     * @param queries m × d
     * @param references sets of r_s × d points, each r_s ≥ k
     * @param k the number of neighbours
     * @return per set, indices into it and exact distances, ascending
     */
    static Nearest[] kNearest(NDManager manager, float[][] queries, float[][][] references, int k) {
        int sets = references.length;
        int d = queries.length > 0 ? queries[0].length : 0;
        long total = 0;
        for (int s = 0; s < sets; s++) {
            if (references[s].length < k) {
                throw new IllegalArgumentException("k=" + k + " neighbours requested but only "
                        + references[s].length + " reference points exist; lower k or add data");
            }
            d = references[s].length > 0 ? references[s][0].length : d;
            total += references[s].length;
        }
        Nearest[] result = new Nearest[sets];
        for (int s = 0; s < sets; s++) {
            result[s] = new Nearest(new int[queries.length][], new double[queries.length][]);
        }
        if (queries.length == 0 || total == 0) {
            return result;
        }
        float[] mean = pooledMean(references, d);
        double[] largestNorm = new double[sets];
        int widest = 1;
        for (float[][] reference : references) {
            widest = Math.max(widest, reference.length);
        }
        int block = Math.max(1, Math.min(MAX_BLOCK_ROWS, Math.min(queries.length, BLOCK_VALUES / widest)));
        try (NDManager scope = manager.newSubManager()) {
            NDArray[] augmented = new NDArray[sets];
            for (int s = 0; s < sets; s++) {
                augmented[s] = scope.create(augmentedReference(references[s], mean, largestNorm, s),
                        new Shape(d + 1, references[s].length));
            }
            for (int from = 0; from < queries.length; from += block) {
                int to = Math.min(queries.length, from + block);
                double[] queryNorms = new double[to - from];
                try (NDManager chunk = scope.newSubManager()) {
                    NDArray centred = chunk.create(augmentedQueries(queries, from, to, mean, queryNorms),
                            new Shape(to - from, d + 1));
                    for (int s = 0; s < sets; s++) {
                        float[] ranking;
                        try (NDArray product = centred.matMul(augmented[s])) {
                            ranking = product.toFloatArray();
                        }
                        int n = references[s].length;
                        for (int i = 0; i < to - from; i++) {
                            nearest(queries[from + i], references[s], ranking, i * n, k,
                                    bound(d, queryNorms[i], largestNorm[s]), result[s], from + i);
                        }
                    }
                }
            }
        }
        return result;
    }

    /**
     * β ≥ |ranking value − (‖q − r‖² − ‖q‖²)| for centred norms |q| and |r|: the float32 product of length
     * d + 1 (Higham's γ = n·u / (1 − n·u) over Σ|2qⱼrⱼ| + ‖r‖² ≤ (|q| + |r|)²), the norm's own float32
     * rounding, the centring's rounding (≤ u per coordinate's magnitude, so ≤ 2u(|q| + |r|)² on the squared
     * distance), taken together as γ with n = d + 5, plus an absolute term for products that underflow into
     * float32's subnormals (each at most 2⁻¹⁵⁰ off). Assumes strict float32 products (no TF32 or lower
     * precision). Infinite where the float32 product may overflow (|q||r| near 1e38), where n·u ≥ ½ or a
     * norm is NaN: then every point is a candidate.
     */
    private static double bound(int d, double queryNorm, double largestNorm) {
        double scale = (queryNorm + largestNorm) * (queryNorm + largestNorm);
        double nu = (d + 5.0) * U;
        if (!(scale < 1e37) || nu >= 0.5) {
            return Double.POSITIVE_INFINITY;
        }
        return nu / (1 - nu) * scale + (d + 5.0) * 2 * Float.MIN_VALUE;
    }

    /** The k nearest points of one set for one query, from its row of ranking values. */
    private static void nearest(float[] query, float[][] reference, float[] ranking, int offset, int k,
            double bound, Nearest into, int q) {
        int n = reference.length;
        float[] smallest = new float[k];
        Arrays.fill(smallest, Float.POSITIVE_INFINITY);
        for (int c = offset; c < offset + n; c++) {
            float v = ranking[c];
            if (v < smallest[k - 1]) {
                int at = k - 1;
                while (at > 0 && smallest[at - 1] > v) {
                    smallest[at] = smallest[at - 1];
                    at--;
                }
                smallest[at] = v;
            }
        }
        // at least k points rank ≤ smallest[k − 1], so the k-th exact squared distance (less ‖q‖²) is ≤ it + β,
        // and every point that can reach that ranks ≤ it + 2β; an infinite bound makes every point a candidate
        double limit = smallest[k - 1] + 2 * bound;
        boolean all = !(limit < Float.MAX_VALUE);
        float cut = all ? Float.POSITIVE_INFINITY : Math.nextUp((float) limit);
        int[] best = new int[k];
        double[] distance = new double[k];
        Arrays.fill(distance, Double.POSITIVE_INFINITY);
        for (int c = 0; c < n; c++) {
            if (all || ranking[offset + c] <= cut) {
                insert(best, distance, c, squaredDistance(query, reference[c]));
            }
        }
        for (int j = 0; j < k; j++) {
            distance[j] = Math.sqrt(distance[j]);
        }
        into.indices()[q] = best;
        into.distances()[q] = distance;
    }

    /** Keeps the k smallest (distance, index) pairs, ascending; equal distances go in index order. */
    private static void insert(int[] best, double[] bestDistance, int index, double distance) {
        int at = best.length - 1;
        if (!(distance < bestDistance[at] || distance == bestDistance[at] && index < best[at])) {
            return;
        }
        while (at > 0 && (bestDistance[at - 1] > distance || bestDistance[at - 1] == distance && best[at - 1] > index)) {
            bestDistance[at] = bestDistance[at - 1];
            best[at] = best[at - 1];
            at--;
        }
        bestDistance[at] = distance;
        best[at] = index;
    }

    /** The mean of all reference points in float64, rounded once to float32 (the centre both sides share). */
    private static float[] pooledMean(float[][][] references, int d) {
        double[] sum = new double[d];
        long n = 0;
        for (float[][] reference : references) {
            for (float[] row : reference) {
                for (int j = 0; j < d; j++) {
                    sum[j] += row[j];
                }
            }
            n += reference.length;
        }
        float[] mean = new float[d];
        for (int j = 0; j < d; j++) {
            mean[j] = (float) (sum[j] / Math.max(1, n));
        }
        return mean;
    }

    /**
     * One reference set as a (d + 1) × r matrix: column c holds −2 × point c centred by the mean, then its
     * squared centred norm, so one product with [q − mean, 1] gives ‖r‖² − 2·q·r. Records the set's largest
     * centred norm. The centring is one float32 subtraction, as for the queries.
     */
    private static float[] augmentedReference(float[][] reference, float[] mean, double[] largestNorm, int set) {
        int d = mean.length;
        int columns = reference.length;
        float[] matrix = new float[(d + 1) * columns];
        double[] norms = new double[columns];
        // tiles of points, so that the transposed writes land in cache lines still held
        for (int tile = 0; tile < columns; tile += TILE) {
            int end = Math.min(columns, tile + TILE);
            for (int j = 0; j < d; j++) {
                for (int column = tile; column < end; column++) {
                    float centred = reference[column][j] - mean[j];
                    norms[column] += (double) centred * centred;
                    matrix[j * columns + column] = -2 * centred;
                }
            }
        }
        for (int column = 0; column < columns; column++) {
            matrix[d * columns + column] = (float) norms[column];
            largestNorm[set] = Math.max(largestNorm[set], Math.sqrt(norms[column]));
        }
        return matrix;
    }

    /** Queries {@code [from, to)} centred by the mean, each followed by a 1; fills their centred norms. */
    private static float[] augmentedQueries(float[][] queries, int from, int to, float[] mean, double[] norms) {
        int d = mean.length;
        float[] block = new float[(to - from) * (d + 1)];
        for (int i = from; i < to; i++) {
            int at = (i - from) * (d + 1);
            double norm = 0;
            for (int j = 0; j < d; j++) {
                float centred = queries[i][j] - mean[j];
                block[at + j] = centred;
                norm += (double) centred * centred;
            }
            block[at + d] = 1;
            norms[i - from] = Math.sqrt(norm);
        }
        return block;
    }

    private static double squaredDistance(float[] a, float[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            double difference = (double) a[j] - b[j];
            sum += difference * difference;
        }
        return sum;
    }
}

package dev.gauntlet.trust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Arrays;

/**
 * Exact k-nearest-neighbour search: fast ranking by a float32 matrix product on the DJL engine, exact
 * distances in float64 for the neighbours it returns.
 *
 * <p>Ranking uses {@code ‖q − r‖² = ‖q‖² + ‖r‖² − 2·q·r} on data centred by the reference mean (which
 * removes the cancellation that costs digits when features lie far from the origin, e.g. values in the
 * thousands). The {@code k + 8} best candidates of each query then get their distance recomputed from the
 * original values, {@code √Σ (qⱼ − rⱼ)²} in float64, as scikit-learn's {@code KDTree} computes it. A
 * rigorous bound on the ranking's rounding error (float32 product of length d, the centring's rounding)
 * proves that no other point can be nearer than the k-th candidate; when it cannot prove that (near-ties
 * within the error bound), that query's distances are all recomputed in float64. So the neighbours and
 * their distances are those of the exact float64 search, up to the order of exactly tied points.
 */
final class Neighbours {

    private static final int CHUNK = 1024;
    /** Candidates beyond k whose exact distance is computed. */
    private static final int EXTRA = 8;
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
        if (reference.length < k) {
            throw new IllegalArgumentException("k=" + k + " neighbours requested but only " + reference.length
                    + " reference points exist; lower k or add data");
        }
        int d = reference.length == 0 ? 0 : reference[0].length;
        double[] mean = new double[d];
        for (float[] row : reference) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= reference.length;
        }
        float[][] centredReference = centred(reference, mean);
        double[] referenceNorms = new double[reference.length];
        double largestNorm = 0;
        for (int c = 0; c < reference.length; c++) {
            referenceNorms[c] = squaredNorm(centredReference[c]);
            largestNorm = Math.max(largestNorm, Math.sqrt(referenceNorms[c]));
        }
        int candidates = Math.min(reference.length, k + EXTRA);
        int[][] indices = new int[queries.length][];
        double[][] distances = new double[queries.length][];
        try (NDManager scope = manager.newSubManager()) {
            NDArray minusTwiceReferenceTransposed = scope.create(centredReference).transpose().mul(-2f);
            for (int from = 0; from < queries.length; from += CHUNK) {
                int to = Math.min(queries.length, from + CHUNK);
                float[][] block = centred(Arrays.copyOfRange(queries, from, to), mean);
                float[] product;
                try (NDManager chunk = scope.newSubManager()) {
                    product = chunk.create(block).matMul(minusTwiceReferenceTransposed).toFloatArray();
                }
                for (int i = 0; i < to - from; i++) {
                    int q = from + i;
                    double queryNorm = Math.sqrt(squaredNorm(block[i]));
                    // |ranking value − true ‖q − r‖² + ‖q‖²|: the float32 product of length d (γ_d ≤ 1.01·d·u) and its
                    // rounding, plus the centred values' rounding (≤ u per coordinate's magnitude)
                    double bound = 1.01 * (2 * (d + 1) * U * queryNorm * largestNorm
                            + 3 * U * (queryNorm + largestNorm) * (queryNorm + largestNorm));
                    int[] best = smallest(product, i * reference.length, referenceNorms, candidates + 1);
                    int kept = Math.min(candidates, best.length);
                    double[] exact = new double[kept];
                    for (int j = 0; j < kept; j++) {
                        exact[j] = squaredDistance(queries[q], reference[best[j]]);
                    }
                    int[] order = ascending(exact);
                    double kth = exact[order[k - 1]];
                    // values so large that the float32 product overflows (|q||r| near 1e38) rank nothing: go exact
                    boolean ranked = 2 * queryNorm * largestNorm < 1e37;
                    boolean proven = ranked && (best.length <= candidates || rankingValue(product,
                            i * reference.length, referenceNorms, best[candidates]) + queryNorm * queryNorm - bound
                            >= kth);
                    if (!proven) {
                        best = allIndices(reference.length);
                        exact = new double[reference.length];
                        for (int c = 0; c < reference.length; c++) {
                            exact[c] = squaredDistance(queries[q], reference[c]);
                        }
                        order = ascending(exact);
                    }
                    indices[q] = new int[k];
                    distances[q] = new double[k];
                    for (int j = 0; j < k; j++) {
                        indices[q][j] = best[order[j]];
                        distances[q][j] = Math.sqrt(exact[order[j]]);
                    }
                }
            }
        }
        return new Nearest(indices, distances);
    }

    private static float[][] centred(float[][] rows, double[] mean) {
        float[][] centred = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            centred[i] = new float[mean.length];
            for (int j = 0; j < mean.length; j++) {
                centred[i][j] = (float) (rows[i][j] - mean[j]);
            }
        }
        return centred;
    }

    private static double rankingValue(float[] product, int offset, double[] referenceNorms, int c) {
        return referenceNorms[c] + product[offset + c];
    }

    /** The indices of the {@code count} smallest ranking values of a row, ascending. */
    private static int[] smallest(float[] product, int offset, double[] referenceNorms, int count) {
        int n = Math.min(count, referenceNorms.length);
        double[] values = new double[n];
        int[] indices = new int[n];
        Arrays.fill(values, Double.POSITIVE_INFINITY);
        for (int c = 0; c < referenceNorms.length; c++) {
            double v = rankingValue(product, offset, referenceNorms, c);
            if (v < values[n - 1]) {
                int at = n - 1;
                while (at > 0 && values[at - 1] > v) {
                    values[at] = values[at - 1];
                    indices[at] = indices[at - 1];
                    at--;
                }
                values[at] = v;
                indices[at] = c;
            }
        }
        return indices;
    }

    /** Positions of {@code values} in ascending order; equal values keep their order (stable). */
    private static int[] ascending(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    private static int[] allIndices(int n) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return all;
    }

    private static double squaredDistance(float[] a, float[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            double difference = (double) a[j] - b[j];
            sum += difference * difference;
        }
        return sum;
    }

    private static double squaredNorm(float[] row) {
        double sum = 0;
        for (float v : row) {
            sum += (double) v * v;
        }
        return sum;
    }
}

package dev.gauntlet.trust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Exact k-nearest-neighbour search against one or several reference sets (a trust score's classes):
 * ranking by float32 matrix products on the DJL engine, exact float64 distances for the few candidates the
 * ranking cannot tell apart.
 *
 * <p>All reference sets go into one matrix, centred by their pooled mean (which removes the cancellation
 * that costs digits when features lie far from the origin), so each block of queries costs one matrix
 * product {@code ‖r‖² − 2·q·r} against every set. The product never comes back to Java whole: the engine
 * reduces it to the minimum of every group of {@code g} consecutive reference points; the k-th smallest
 * group minimum of a set is a value that at least k of its points reach, so with β a rigorous bound on the
 * ranking's rounding error (float32 product and norms of length d, the centring), every point that can be
 * among the exact k nearest ranks at most that value + 2β. The engine marks those points, only their
 * indices come back, and their distances are recomputed from the original values, {@code √Σ (qⱼ − rⱼ)²} in
 * float64, as scikit-learn's {@code KDTree} computes it. Near-ties within the error bound just add
 * candidates; values so large that the float32 product could overflow make every point a candidate. So the
 * neighbours and distances are those of the exact float64 search; exactly tied points come in index order.
 *
 * <p>Memory stays bounded: queries go in blocks whose product holds at most {@value #BLOCK_VALUES} floats,
 * each block's arrays in their own closed scope.
 */
final class Neighbours {

    /** Floats in one block's product (64 MB). */
    private static final int BLOCK_VALUES = 1 << 24;
    /** Reference points per group whose minimum comes back to Java (at most). */
    private static final int GROUP = 64;
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
     * Finds the k nearest points of every query in each of several reference sets, with one matrix product
     * per block of queries for all of them.
     *
     * @param manager where to compute the ranking
     * @param queries m × d
     * @param references sets of r_s × d points, each r_s ≥ k
     * @param k the number of neighbours
     * @return per set, indices into it and exact distances, ascending
     */
    static Nearest[] kNearest(NDManager manager, float[][] queries, float[][][] references, int k) {
        int sets = references.length;
        int smallest = Integer.MAX_VALUE;
        int d = queries.length > 0 ? queries[0].length : 0;
        for (float[][] reference : references) {
            if (reference.length < k) {
                throw new IllegalArgumentException("k=" + k + " neighbours requested but only " + reference.length
                        + " reference points exist; lower k or add data");
            }
            smallest = Math.min(smallest, reference.length);
            d = reference.length > 0 ? reference[0].length : d;
        }
        // g ≤ r_s / k gives every set at least k groups
        int g = Math.max(1, Math.min(GROUP, smallest / k));
        int[] firstGroup = new int[sets + 1];
        for (int s = 0; s < sets; s++) {
            firstGroup[s + 1] = firstGroup[s] + (references[s].length + g - 1) / g;
        }
        int groups = firstGroup[sets];
        int columns = groups * g;
        float[] mean = pooledMean(references, d);
        Nearest[] result = new Nearest[sets];
        for (int s = 0; s < sets; s++) {
            result[s] = new Nearest(new int[queries.length][], new double[queries.length][]);
        }
        if (queries.length == 0) {
            return result;
        }
        int block = Math.max(1, Math.min(queries.length, BLOCK_VALUES / columns));
        try (NDManager scope = manager.newSubManager()) {
            NDArray centre = scope.create(mean).reshape(1, d);
            NDArray minusTwiceTransposed;
            NDArray norms;
            double[] largestNorm = new double[sets];
            try (NDManager prepare = scope.newSubManager()) {
                NDArray centred = prepare.create(padded(references, mean, g, columns, d), new Shape(columns, d))
                        .sub(centre);
                NDArray squares = centred.square().sum(new int[] {1});
                float[] squaredNorms = squares.toFloatArray();
                float[] padding = new float[columns];
                for (int s = 0; s < sets; s++) {
                    int from = firstGroup[s] * g;
                    for (int c = from; c < from + references[s].length; c++) {
                        largestNorm[s] = Math.max(largestNorm[s], Math.sqrt(squaredNorms[c]));
                    }
                    Arrays.fill(padding, from + references[s].length, firstGroup[s + 1] * g, Float.POSITIVE_INFINITY);
                }
                minusTwiceTransposed = centred.transpose().mul(-2f);
                norms = squares.add(prepare.create(padding)).reshape(1, columns);
                minusTwiceTransposed.attach(scope);
                norms.attach(scope);
            }
            for (int from = 0; from < queries.length; from += block) {
                int to = Math.min(queries.length, from + block);
                try (NDManager chunk = scope.newSubManager()) {
                    searchBlock(chunk, queries, from, to, references, k, g, firstGroup, centre, minusTwiceTransposed,
                            norms, largestNorm, d, result);
                }
            }
        }
        return result;
    }

    private static void searchBlock(NDManager chunk, float[][] queries, int from, int to, float[][][] references,
            int k, int g, int[] firstGroup, NDArray centre, NDArray minusTwiceTransposed, NDArray norms,
            double[] largestNorm, int d, Nearest[] result) {
        int rows = to - from;
        int sets = references.length;
        int groups = firstGroup[sets];
        NDArray block = chunk.create(Arrays.copyOfRange(queries, from, to)).sub(centre);
        float[] queryNorms = block.square().sum(new int[] {1}).toFloatArray();
        NDArray ranking = block.matMul(minusTwiceTransposed).add(norms).reshape(rows, groups, g);
        float[] minima = ranking.min(new int[] {2}).toFloatArray();
        float[] threshold = new float[rows * groups];
        boolean[] everything = new boolean[rows * sets];
        float[] kSmallest = new float[k];
        for (int i = 0; i < rows; i++) {
            double queryNorm = Math.sqrt(queryNorms[i]);
            for (int s = 0; s < sets; s++) {
                double largest = largestNorm[s];
                // |ranking value − (‖q − r‖² − ‖q‖²)|: float32 product and norms of length d (γ ≤ 1.01·d·u), the
                // sum's rounding, the centring's rounding (≤ u per coordinate's magnitude); see the class comment
                double bound = 1.01 * (d + 5) * U * (queryNorm + largest) * (queryNorm + largest);
                double kth = kthSmallest(minima, i * groups + firstGroup[s], i * groups + firstGroup[s + 1], kSmallest);
                double limit = kth + 2 * bound;
                // values so large that the float32 product may overflow (|q||r| near 1e38) rank nothing
                boolean all = !(2 * queryNorm * largest < 1e37) || !(limit < Float.MAX_VALUE);
                everything[i * sets + s] = all;
                float cut = all ? Float.NEGATIVE_INFINITY : Math.nextUp((float) limit);
                Arrays.fill(threshold, i * groups + firstGroup[s], i * groups + firstGroup[s + 1], cut);
            }
        }
        long[] marked = ranking.lte(chunk.create(threshold, new Shape(rows, groups, 1))).nonzero().toLongArray();
        // candidates per (row, set), as positions in the set; rows are in order, so are columns within a row
        int[] count = new int[rows * sets + 1];
        int[] setOfGroup = new int[groups];
        for (int s = 0; s < sets; s++) {
            Arrays.fill(setOfGroup, firstGroup[s], firstGroup[s + 1], s);
        }
        int[] candidate = new int[marked.length / 3];
        int[] owner = new int[candidate.length];
        int found = 0;
        for (int at = 0; at < marked.length; at += 3) {
            int i = (int) marked[at];
            int group = (int) marked[at + 1];
            int s = setOfGroup[group];
            int position = (group - firstGroup[s]) * g + (int) marked[at + 2];
            if (!everything[i * sets + s] && position < references[s].length) {
                candidate[found] = position;
                owner[found++] = i * sets + s;
                count[i * sets + s + 1]++;
            }
        }
        for (int p = 0; p < rows * sets; p++) {
            count[p + 1] += count[p];
        }
        int[] start = count;
        int[] ordered = new int[found];
        int[] fill = Arrays.copyOf(start, rows * sets);
        for (int c = 0; c < found; c++) {
            ordered[fill[owner[c]]++] = candidate[c];
        }
        IntStream.range(0, rows * sets).parallel().forEach(p -> {
            int i = p / sets;
            int s = p % sets;
            float[] query = queries[from + i];
            float[][] reference = references[s];
            int[] best = new int[k];
            double[] bestDistance = new double[k];
            Arrays.fill(bestDistance, Double.POSITIVE_INFINITY);
            boolean all = everything[p];
            int candidates = all ? reference.length : start[p + 1] - start[p];
            for (int c = 0; c < candidates; c++) {
                int index = all ? c : ordered[start[p] + c];
                insert(best, bestDistance, index, squaredDistance(query, reference[index]));
            }
            for (int j = 0; j < k; j++) {
                bestDistance[j] = Math.sqrt(bestDistance[j]);
            }
            result[s].indices()[from + i] = best;
            result[s].distances()[from + i] = bestDistance;
        });
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

    /** The k-th smallest of {@code values[from, to)}, with k = {@code scratch.length} ≤ to − from. */
    private static double kthSmallest(float[] values, int from, int to, float[] scratch) {
        int k = scratch.length;
        Arrays.fill(scratch, Float.POSITIVE_INFINITY);
        for (int c = from; c < to; c++) {
            float v = values[c];
            if (v < scratch[k - 1]) {
                int at = k - 1;
                while (at > 0 && scratch[at - 1] > v) {
                    scratch[at] = scratch[at - 1];
                    at--;
                }
                scratch[at] = v;
            }
        }
        // NaN (an overflowed product) ranks nothing: every point becomes a candidate
        return Float.isNaN(scratch[k - 1]) ? Double.POSITIVE_INFINITY : scratch[k - 1];
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

    /** Every set's rows, each set padded with copies of the mean (centred to 0) to whole groups. */
    private static float[] padded(float[][][] references, float[] mean, int g, int columns, int d) {
        float[] flat = new float[columns * d];
        int row = 0;
        for (float[][] reference : references) {
            for (float[] point : reference) {
                System.arraycopy(point, 0, flat, row++ * d, d);
            }
            for (; row % g != 0; row++) {
                System.arraycopy(mean, 0, flat, row * d, d);
            }
        }
        return flat;
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

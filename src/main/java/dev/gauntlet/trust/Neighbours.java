package dev.gauntlet.trust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;

/**
 * Exact k-nearest-neighbour distances by batched matrix products on the DJL engine:
 * {@code ‖q − r‖² = ‖q‖² + ‖r‖² − 2·q·r}, then the k smallest per query (so a GPU helps).
 * Distances are Euclidean, the product computed in float32, clamped at 0 before the square root.
 */
final class Neighbours {

    private static final int CHUNK = 1024;

    private Neighbours() {}

    /**
     * Returns, for each query, the distances to its k nearest reference points, ascending.
     *
     * @param manager where to compute
     * @param queries m × d
     * @param reference r × d, r ≥ k
     * @param k the number of neighbours
     * @return m × k distances
     */
    static int[][] kNearestIndices(NDManager manager, float[][] queries, float[][] reference, int k) {
        int[][] result = new int[queries.length][];
        try (NDManager scope = manager.newSubManager()) {
            NDArray ref = scope.create(reference);
            NDArray q = scope.create(queries);
            NDArray squared = q.square().sum(new int[] {1}).reshape(-1, 1)
                    .add(ref.square().sum(new int[] {1}).reshape(1, -1)).sub(q.matMul(ref.transpose()).mul(2));
            int[] indices = squared.argSort(1).get(":, 0:" + k).toType(ai.djl.ndarray.types.DataType.INT32, false)
                    .toIntArray();
            for (int i = 0; i < queries.length; i++) {
                result[i] = java.util.Arrays.copyOfRange(indices, i * k, (i + 1) * k);
            }
        }
        return result;
    }

    /**
     * The k smallest entries of each row, ascending. DJL's MXNet engine has no topK, and a full
     * sort costs O(r log r) per row; for small k, k rounds of "take the minimum, then mask it"
     * cost O(k·r) and are much faster.
     */
    private static NDArray smallest(NDArray rows, int k) {
        if (k > 8) {
            return rows.sort(1).get(":, 0:" + k);
        }
        int width = Math.toIntExact(rows.getShape().get(1));
        NDArray remaining = rows;
        NDArray[] columns = new NDArray[k];
        for (int j = 0; j < k; j++) {
            columns[j] = remaining.min(new int[] {1}, true);
            if (j + 1 < k) {
                remaining = remaining.add(remaining.argMin(1).oneHot(width).mul(Float.MAX_VALUE));
            }
        }
        return NDArrays.concat(new ai.djl.ndarray.NDList(columns), 1);
    }

    static double[][] kNearest(NDManager manager, float[][] queries, float[][] reference, int k) {
        if (reference.length < k) {
            throw new IllegalArgumentException("k=" + k + " neighbours requested but only " + reference.length
                    + " reference points exist; lower k or add data");
        }
        double[][] result = new double[queries.length][];
        try (NDManager scope = manager.newSubManager()) {
            NDArray ref = scope.create(reference);
            NDArray refSquared = ref.square().sum(new int[] {1}).reshape(1, -1);
            // ‖r‖² − 2·q·r ranks the reference points for a query as ‖q − r‖² does (‖q‖² is constant per row),
            // so the engine makes one pass over the m × r matrix after the product; ‖q‖² is added per kept value
            NDArray minusTwiceRefTransposed = ref.transpose().mul(-2f);
            float[] refNorms = refSquared.toFloatArray();
            for (int from = 0; from < queries.length; from += CHUNK) {
                int to = Math.min(queries.length, from + CHUNK);
                float[][] block = java.util.Arrays.copyOfRange(queries, from, to);
                try (NDManager chunk = scope.newSubManager()) {
                    NDArray product = chunk.create(block).matMul(minusTwiceRefTransposed);
                    if (product.getDevice().isGpu()) {
                        float[] values = smallest(product.add(refSquared), k).toFloatArray();
                        for (int i = 0; i < to - from; i++) {
                            double[] row = new double[k];
                            for (int j = 0; j < k; j++) {
                                row[j] = Math.sqrt(Math.max(0, values[i * k + j] + squaredNorm(block[i])));
                            }
                            result[from + i] = row;
                        }
                    } else {
                        // on the CPU one pass over the row in Java beats k masked passes on the engine
                        float[] values = product.toFloatArray();
                        int width = reference.length;
                        for (int i = 0; i < to - from; i++) {
                            result[from + i] = smallestInRow(values, i * width, refNorms, k, squaredNorm(block[i]));
                        }
                    }
                }
            }
        }
        return result;
    }

    private static double squaredNorm(float[] row) {
        double sum = 0;
        for (float v : row) {
            sum += (double) v * v;
        }
        return sum;
    }

    /**
     * √max(0, v + shift) of the k smallest {@code v = values[offset + c] + refNorms[c]} of a row,
     * ascending.
     */
    private static double[] smallestInRow(float[] values, int offset, float[] refNorms, int k, double shift) {
        double[] best = new double[k];
        java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int c = 0; c < refNorms.length; c++) {
            double v = values[offset + c] + refNorms[c];
            if (v < best[k - 1]) {
                int at = k - 1;
                while (at > 0 && best[at - 1] > v) {
                    best[at] = best[at - 1];
                    at--;
                }
                best[at] = v;
            }
        }
        for (int j = 0; j < k; j++) {
            best[j] = Math.sqrt(Math.max(0, best[j] + shift));
        }
        return best;
    }
}

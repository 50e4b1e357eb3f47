package dev.gauntlet.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * A principal-component projection fitted on training features, to make nearest-neighbour
 * search in high dimensions cheaper and less noisy (e.g. 784 pixels to 50 components).
 *
 * <p>Exact, as scikit-learn's {@code PCA(svd_solver="full")}: the scatter matrix {@code XᵀX} of the
 * centred data is summed by float64 matrix products on the DJL engine, block by block of rows, and its symmetric
 * eigendecomposition (commons-math's {@link EigenDecomposition}, d × d) gives the components by decreasing
 * eigenvalue, the explained variances {@code λ / (n − 1)}. Signs follow scikit-learn 1.2's
 * {@code svd_flip(U, Vt)}: each component points so that the training sample with the largest
 * |projection| onto it (the first such sample on ties) projects positively. Projections are computed in
 * float64 on the engine and rounded once to float32. {@code PcaParityTests} compares all three with
 * scikit-learn to 1e-6; components inside a degenerate eigenspace (repeated or zero eigenvalues, as on
 * rank-deficient data) are any orthonormal basis of it, there as here. Forming {@code XᵀX} squares the
 * condition number, so eigenvalues below about 1e-10 of the largest carry only absolute accuracy (about
 * 1e-13 of the largest), where the SVD of X keeps relative digits.
 */
public final class PcaProjection {

    /** Doubles in one block of rows on the engine (32 MB). */
    private static final int BLOCK_VALUES = 1 << 22;

    private final double[] mean;
    private final double[][] components;
    private final double[] variance;

    private PcaProjection(double[] mean, double[][] components, double[] variance) {
        this.mean = mean;
        this.components = components;
        this.variance = variance;
    }

    /**
     * Fits the projection.
     *
     * @param rows training features, one row per sample, at least one
     * @param count the number of components, between 1 and the feature count
     * @return the projection
     */
    public static PcaProjection fit(float[][] rows, int count) {
        if (rows.length == 0) {
            throw new InvalidDataException("principal components need at least one training row");
        }
        int n = rows.length;
        int d = rows[0].length;
        if (count < 1 || count > d) {
            throw new IllegalArgumentException("components must be in [1, " + d + "], got " + count);
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            float[] row = rows[i];
            if (row.length != d) {
                throw new InvalidDataException("row " + i + " has " + row.length + " features, row 0 has " + d);
            }
            for (int j = 0; j < d; j++) {
                if (!Float.isFinite(row[j])) {
                    throw new InvalidDataException("row " + i + " has a non-finite feature " + j + " (" + row[j]
                            + "); principal components need finite data");
                }
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        int block = Math.max(1, BLOCK_VALUES / d);
        double[] scatter;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray sum = manager.zeros(new Shape(d, d), DataType.FLOAT64);
            for (int from = 0; from < n; from += block) {
                int to = Math.min(n, from + block);
                try (NDManager chunk = manager.newSubManager()) {
                    double[] x = centred(rows, from, to, mean);
                    double[] transposed = new double[x.length];
                    int size = to - from;
                    for (int tile = 0; tile < size; tile += 64) { // tiles keep the transposed writes in cache
                        for (int j = 0; j < d; j++) {
                            for (int i = tile; i < Math.min(size, tile + 64); i++) {
                                transposed[j * size + i] = x[i * d + j];
                            }
                        }
                    }
                    sum.addi(chunk.create(transposed, new Shape(d, size)).matMul(chunk.create(x, new Shape(size, d))));
                }
            }
            scatter = sum.toDoubleArray();
        }
        double[][] matrix = new double[d][d];
        for (int i = 0; i < d; i++) { // symmetric by construction; averaged so the symmetric solver is certain to run
            for (int j = 0; j < d; j++) {
                matrix[i][j] = 0.5 * (scatter[i * d + j] + scatter[j * d + i]);
            }
        }
        EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(matrix, false));
        double[] values = eigen.getRealEigenvalues();
        int[] order = IntStream.range(0, d).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -values[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).limit(count).toArray();
        RealMatrix vectors = eigen.getV();
        double[][] components = new double[count][];
        double[] variance = new double[count];
        for (int c = 0; c < count; c++) {
            components[c] = vectors.getColumn(order[c]);
            variance[c] = n > 1 ? Math.max(0, values[order[c]]) / (n - 1) : 0;
        }
        PcaProjection unsigned = new PcaProjection(mean, components, variance);
        double[] largest = unsigned.largestProjections(rows);
        for (int c = 0; c < count; c++) {
            if (largest[c] < 0) {
                for (int j = 0; j < d; j++) {
                    components[c][j] = -components[c][j];
                }
            }
        }
        return unsigned;
    }

    /**
     * Fits the projection; the decomposition is exact, so there is nothing to seed.
     *
     * @param rows training features, one row per sample
     * @param count the number of components, between 1 and the feature count
     * @param seed ignored (an iterative solver once started from it); the result is that of {@link #fit(float[][], int)}
     * @return the projection
     */
    public static PcaProjection fit(float[][] rows, int count, long seed) {
        return fit(rows, count);
    }

    /**
     * Returns the components.
     *
     * @return {@code count × d} unit vectors, by decreasing variance
     */
    public float[][] components() {
        float[][] copy = new float[components.length][];
        for (int k = 0; k < components.length; k++) {
            copy[k] = new float[components[k].length];
            for (int j = 0; j < components[k].length; j++) {
                copy[k][j] = (float) components[k][j];
            }
        }
        return copy;
    }

    /**
     * Returns the variance of the training data along each component (scikit-learn's
     * {@code explained_variance_}, with the {@code n − 1} denominator).
     *
     * @return one variance per component, decreasing
     */
    public double[] explainedVariance() {
        return variance.clone();
    }

    /**
     * Projects rows onto the components.
     *
     * @param rows features, one row per sample
     * @return {@code n × count} coordinates
     */
    public float[][] project(float[][] rows) {
        int count = components.length;
        float[][] projected = new float[rows.length][count];
        forEachBlock(rows, (from, values) -> {
            for (int i = 0; i * count < values.length; i++) {
                for (int c = 0; c < count; c++) {
                    projected[from + i][c] = (float) values[i * count + c];
                }
            }
        });
        return projected;
    }

    /** Per component, the projection of largest magnitude over the rows (the first on ties). */
    private double[] largestProjections(float[][] rows) {
        int count = components.length;
        double[] largest = new double[count];
        forEachBlock(rows, (from, values) -> {
            for (int at = 0; at < values.length; at++) {
                int c = at % count;
                if (Math.abs(values[at]) > Math.abs(largest[c])) {
                    largest[c] = values[at];
                }
            }
        });
        return largest;
    }

    /** Receives the float64 projections of the rows from {@code from} on, row-major. */
    private interface BlockConsumer {
        void accept(int from, double[] values);
    }

    private void forEachBlock(float[][] rows, BlockConsumer consumer) {
        int d = mean.length;
        int count = components.length;
        int block = Math.max(1, BLOCK_VALUES / Math.max(d, count));
        double[] transposed = new double[count * d];
        for (int c = 0; c < count; c++) {
            for (int j = 0; j < d; j++) {
                transposed[j * count + c] = components[c][j];
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray basis = manager.create(transposed, new Shape(d, count));
            for (int from = 0; from < rows.length; from += block) {
                int to = Math.min(rows.length, from + block);
                try (NDManager chunk = manager.newSubManager()) {
                    consumer.accept(from, chunk.create(centred(rows, from, to, mean), new Shape(to - from, d))
                            .matMul(basis).toDoubleArray());
                }
            }
        }
    }

    /**
     * Rows {@code [from, to)} minus the mean in float64, row-major, centred in Java: on MXNet, the engine's
     * cast and broadcast subtraction measured slower than the matrix product they feed.
     */
    private static double[] centred(float[][] rows, int from, int to, double[] mean) {
        int d = mean.length;
        double[] x = new double[(to - from) * d];
        for (int i = from; i < to; i++) {
            for (int j = 0; j < d; j++) {
                x[(i - from) * d + j] = rows[i][j] - mean[j];
            }
        }
        return x;
    }
}

package dev.gauntlet.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Arrays;
import java.util.Random;

/**
 * A principal-component projection fitted on training features, to make nearest-neighbour
 * search in high dimensions cheaper and less noisy (e.g. 784 pixels to 50 components).
 *
 * <p>The covariance matrix is formed by one matrix product on the DJL engine; its leading
 * eigenvectors are found by orthogonal (subspace) iteration with a seeded start, 100 rounds,
 * which converges for the well-separated leading spectra of image data. Components are returned
 * in decreasing order of variance, each with a non-negative sum of entries (a fixed sign).
 */
public final class PcaProjection {

    private final float[] mean;
    private final float[][] components;

    private PcaProjection(float[] mean, float[][] components) {
        this.mean = mean;
        this.components = components;
    }

    /**
     * Fits the projection.
     *
     * @param rows training features, one row per sample
     * @param count the number of components, between 1 and the feature count
     * @param seed the seed of the iteration's random start
     * @return the projection
     */
    public static PcaProjection fit(float[][] rows, int count, long seed) {
        int n = rows.length;
        int d = rows[0].length;
        if (count < 1 || count > d) {
            throw new IllegalArgumentException("components must be in [1, " + d + "], got " + count);
        }
        float[] mean = new float[d];
        for (float[] row : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        Random random = new Random(seed);
        double[][] basis = new double[count][d];
        for (double[] vector : basis) {
            for (int j = 0; j < d; j++) {
                vector[j] = random.nextGaussian();
            }
        }
        orthonormalise(basis);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[][] centred = new float[n][d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    centred[i][j] = rows[i][j] - mean[j];
                }
            }
            NDArray x = manager.create(centred);
            NDArray covariance = x.transpose().matMul(x).div(n);
            for (int round = 0; round < 100; round++) {
                try (NDManager step = manager.newSubManager()) {
                    float[][] current = new float[count][d];
                    for (int k = 0; k < count; k++) {
                        for (int j = 0; j < d; j++) {
                            current[k][j] = (float) basis[k][j];
                        }
                    }
                    float[] next = step.create(current).matMul(covariance).toFloatArray(); // rows: (C q_k)^T
                    for (int k = 0; k < count; k++) {
                        for (int j = 0; j < d; j++) {
                            basis[k][j] = next[k * d + j];
                        }
                    }
                    orthonormalise(basis);
                }
            }
        }
        float[][] components = new float[count][d];
        for (int k = 0; k < count; k++) {
            double sum = 0;
            for (double v : basis[k]) {
                sum += v;
            }
            double sign = sum < 0 ? -1 : 1;
            for (int j = 0; j < d; j++) {
                components[k][j] = (float) (sign * basis[k][j]);
            }
        }
        return new PcaProjection(mean, components);
    }

    /**
     * Returns the components.
     *
     * @return {@code count × d} unit vectors, by decreasing variance
     */
    public float[][] components() {
        float[][] copy = new float[components.length][];
        for (int k = 0; k < components.length; k++) {
            copy[k] = components[k].clone();
        }
        return copy;
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
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray basis = manager.create(components).transpose();
            NDArray centre = manager.create(mean).reshape(1, -1);
            for (int from = 0; from < rows.length; from += 4096) {
                int to = Math.min(rows.length, from + 4096);
                try (NDManager chunk = manager.newSubManager()) {
                    float[] values = chunk.create(Arrays.copyOfRange(rows, from, to)).sub(centre)
                            .matMul(basis).toFloatArray();
                    for (int i = 0; i < to - from; i++) {
                        System.arraycopy(values, i * count, projected[from + i], 0, count);
                    }
                }
            }
        }
        return projected;
    }

    /** Gram–Schmidt (twice, for stability) on the rows of {@code vectors}. */
    private static void orthonormalise(double[][] vectors) {
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < vectors.length; k++) {
                for (int previous = 0; previous < k; previous++) {
                    double dot = 0;
                    for (int j = 0; j < vectors[k].length; j++) {
                        dot += vectors[k][j] * vectors[previous][j];
                    }
                    for (int j = 0; j < vectors[k].length; j++) {
                        vectors[k][j] -= dot * vectors[previous][j];
                    }
                }
                double norm = 0;
                for (double v : vectors[k]) {
                    norm += v * v;
                }
                norm = Math.sqrt(norm);
                for (int j = 0; j < vectors[k].length; j++) {
                    vectors[k][j] /= norm;
                }
            }
        }
    }
}

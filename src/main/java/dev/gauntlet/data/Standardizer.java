package dev.gauntlet.data;

import java.util.Arrays;

/**
 * Per-feature standardisation {@code (x - mean) / std}, fitted on one dataset (usually the
 * training part) and applied to others with the same statistics.
 *
 * <p>The standard deviation is the population one (divide by n), as in scikit-learn's
 * {@code StandardScaler}. A constant feature (std 0) is only centred. The result is
 * {@link ValueBounds#unbounded() unbounded}.
 */
public final class Standardizer {

    private final double[] means;
    private final double[] stds;

    private Standardizer(double[] means, double[] stds) {
        this.means = means;
        this.stds = stds;
    }

    /**
     * Computes each feature's mean and standard deviation.
     *
     * @param data the data to fit on
     * @return the fitted standardiser
     */
    public static Standardizer fit(Dataset data) {
        int f = data.featureCount();
        int n = data.size();
        double[] sum = new double[f];
        double[] sumSq = new double[f];
        for (int i = 0; i < n; i++) {
            float[] row = data.features(i);
            for (int j = 0; j < f; j++) {
                sum[j] += row[j];
            }
        }
        double[] means = new double[f];
        for (int j = 0; j < f; j++) {
            means[j] = sum[j] / n;
        }
        for (int i = 0; i < n; i++) {
            float[] row = data.features(i);
            for (int j = 0; j < f; j++) {
                double d = row[j] - means[j];
                sumSq[j] += d * d;
            }
        }
        double[] stds = new double[f];
        for (int j = 0; j < f; j++) {
            double std = Math.sqrt(sumSq[j] / n);
            stds[j] = std > 0 ? std : 1;
        }
        return new Standardizer(means, stds);
    }

    /**
     * Standardises a dataset with the fitted statistics.
     *
     * @param data data with the same feature count as the fitted data
     * @return a new, unbounded dataset; {@code data} is unchanged
     */
    public Dataset transform(Dataset data) {
        if (data.featureCount() != means.length) {
            throw new InvalidDataException("data '" + data.name() + "' has " + data.featureCount()
                    + " features but the standardiser was fitted on " + means.length);
        }
        float[] values = data.copyFeatures();
        for (int i = 0; i < values.length; i++) {
            int j = i % means.length;
            values[i] = (float) ((values[i] - means[j]) / stds[j]);
        }
        return data.withFeatures(values, ValueBounds.unbounded());
    }

    /**
     * Returns the fitted means.
     *
     * @return a copy of the per-feature means
     */
    public double[] means() {
        return means.clone();
    }

    /**
     * Returns the fitted standard deviations (1 for constant features).
     *
     * @return a copy of the per-feature standard deviations
     */
    public double[] stds() {
        return stds.clone();
    }

    @Override
    public String toString() {
        return "Standardizer[means=" + Arrays.toString(means) + ", stds=" + Arrays.toString(stds) + "]";
    }
}

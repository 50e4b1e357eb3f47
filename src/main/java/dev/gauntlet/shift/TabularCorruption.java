package dev.gauntlet.shift;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.StandardNormal;
import dev.gauntlet.data.Standardizer;

import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Realistic shifts of tabular data at severities 1–5, each relative to the data's own per-feature
 * statistics (so they mean the same on raw and standardised features), seeded, clipped to the
 * data's bounds:
 * <ul>
 *   <li>{@link Kind#GAUSSIAN_NOISE}: add N(0, (s·σ_j)²), s = 0.1, 0.2, 0.3, 0.5, 1.0;
 *   <li>{@link Kind#SCALING}: multiply each feature's deviation from its mean by 1 ± s (sign per
 *       feature), s = 0.05, 0.1, 0.2, 0.3, 0.5 — a change of units or calibration;
 *   <li>{@link Kind#MISSING_VALUES}: replace a fraction s = 0.05, 0.1, 0.2, 0.3, 0.5 of the cells
 *       by the feature's mean, as mean imputation of missing values would.
 * </ul>
 *
 * @param kind the corruption
 * @param severity 1 (mild) to 5 (severe)
 */
public record TabularCorruption(Kind kind, int severity) implements Corruption {

    /** The corruptions and their parameter per severity 1–5. */
    public enum Kind {
        /** Noise in units of each feature's standard deviation. */
        GAUSSIAN_NOISE(0.1, 0.2, 0.3, 0.5, 1.0),
        /** Deviations from the mean stretched or shrunk. */
        SCALING(0.05, 0.1, 0.2, 0.3, 0.5),
        /** Cells replaced by the feature mean. */
        MISSING_VALUES(0.05, 0.1, 0.2, 0.3, 0.5);

        private final double[] parameters;

        Kind(double... parameters) {
            this.parameters = parameters;
        }

        /**
         * Returns the parameter used at a severity.
         *
         * @param severity 1 to 5
         * @return the parameter
         */
        public double parameter(int severity) {
            return parameters[severity - 1];
        }
    }

    /**
     * Validates the severity.
     *
     * @throws IllegalArgumentException if it is outside 1–5
     */
    public TabularCorruption {
        Objects.requireNonNull(kind, "kind");
        if (severity < 1 || severity > 5) {
            throw new IllegalArgumentException("severity must be in 1..5, got " + severity);
        }
    }

    @Override
    public String name() {
        return "tabular-" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + "(" + severity + ")";
    }

    @Override
    public Dataset apply(Dataset data, long seed) {
        Standardizer statistics = Standardizer.fit(data);
        double[] mean = statistics.means();
        double[] std = statistics.stds();
        double s = kind.parameter(severity);
        SplittableRandom random = new SplittableRandom(seed);
        int d = data.featureCount();
        double[] sign = new double[d];
        for (int j = 0; j < d; j++) {
            sign[j] = random.nextBoolean() ? 1 : -1;
        }
        float[] out = new float[data.size() * d];
        for (int i = 0; i < data.size(); i++) {
            float[] x = data.features(i);
            for (int j = 0; j < d; j++) {
                double v = switch (kind) {
                    case GAUSSIAN_NOISE -> x[j] + s * std[j] * StandardNormal.draw(random);
                    case SCALING -> mean[j] + (x[j] - mean[j]) * (1 + sign[j] * s);
                    case MISSING_VALUES -> random.nextDouble() < s ? mean[j] : x[j];
                };
                out[i * d + j] = (float) Math.max(data.bounds().lower(), Math.min(data.bounds().upper(), v));
            }
        }
        return data.withFeatures(out, data.bounds()).renamed(data.name() + " + " + name());
    }

}

package dev.gauntlet.shift;

import dev.gauntlet.data.Dataset;
import dev.gauntlet.data.StandardNormal;
import dev.gauntlet.data.ValueBounds;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

/**
 * Adds independent Gaussian noise N(0, σ²) to every feature, then clips to the data's bounds.
 *
 * @param sigma the noise's standard deviation, in feature units
 */
public record GaussianNoise(double sigma) implements Corruption {

    /**
     * Validates σ.
     *
     * @throws IllegalArgumentException if σ is negative or not finite
     */
    public GaussianNoise {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a finite number >= 0, got " + sigma);
        }
    }

    @Override
    public String name() {
        return "gaussian-noise(sigma=" + new BigDecimal(sigma).round(new MathContext(4)).stripTrailingZeros().toPlainString()
                + ")";
    }

    @Override
    public Dataset apply(Dataset data, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ValueBounds bounds = data.bounds();
        float[] values = new float[data.size() * data.featureCount()];
        for (int i = 0; i < data.size(); i++) {
            float[] row = data.features(i);
            for (int j = 0; j < row.length; j++) {
                double noisy = row[j] + sigma * StandardNormal.draw(random);
                values[i * row.length + j] = (float) Math.max(bounds.lower(), Math.min(bounds.upper(), noisy));
            }
        }
        return data.withFeatures(values, bounds).renamed(data.name() + " + " + name());
    }

}
